import type { Logger } from '@bfi/messaging';
import type { Db } from '../../db/client';
import { LedgerError } from '../../ledger';
import { CsvRejected, StatementError, type CsvFormat } from '../domain';
import { statementPage } from '../db/statement-repo';
import { importCsv } from './csv-upload';
import { importPayPal } from './paypal-import';
import type { ProviderClients } from './providers';
import { importStripe } from './stripe-import';

export interface StatementDeps {
  db: Db;
  providers: ProviderClients;
  logger: Logger;
}

export type ImportRequest =
  | { provider: 'stripe' | 'paypal'; from: Date; to: Date }
  | { provider: 'stripe'; payoutId: string };

/** A provider answered with an error or an unusable statement: what it said, as a refusal. */
function providerRefusal(provider: string, err: unknown): LedgerError {
  if (err instanceof StatementError)
    return new LedgerError(
      'upstream',
      `${provider} returned a statement line the ledger cannot take: ${err.message}`,
    );
  const message = err instanceof Error ? err.message : String(err);
  // The provider said the request names nothing it has (an unknown payout id): the finance
  // user's input is wrong, not the provider — unprocessable, so it reads as something to correct.
  const said =
    (err as { statusCode?: unknown; status?: unknown } | null)?.statusCode ??
    (err as { status?: unknown } | null)?.status;
  if (said === 404)
    return new LedgerError(
      'unprocessable',
      `${provider} has nothing under that reference: ${message}`,
    );
  return new LedgerError(
    'upstream',
    `${provider} refused or failed the statement request: ${message}`,
  );
}

/** Imports statement lines through the Stripe SDK (period or payout) or PayPal (period). */
export async function importStatement(deps: StatementDeps, req: ImportRequest, by: string) {
  const { db, providers, logger } = deps;
  if (req.provider === 'stripe') {
    if (!providers.stripe)
      throw new LedgerError('unavailable', 'Stripe is not configured (STRIPE_SECRET_KEY).');
    const query = 'payoutId' in req ? { payoutId: req.payoutId } : { from: req.from, to: req.to };
    const result = await importStripe(db, providers.stripe, query, by).catch((err: unknown) => {
      throw providerRefusal('Stripe', err);
    });
    logger.info({ ...result, query }, 'stripe statement imported');
    return result;
  }
  if (!providers.paypal)
    throw new LedgerError('unavailable', 'PayPal is not configured (PAYPAL_CLIENT_ID).');
  if ('payoutId' in req) throw new LedgerError('invalid', 'Import by payout is for Stripe only.');
  const result = await importPayPal(db, providers.paypal, { from: req.from, to: req.to }, by).catch(
    (err: unknown) => {
      throw providerRefusal('PayPal', err);
    },
  );
  logger.info({ ...result }, 'paypal statement imported');
  return result;
}

/** An uploaded provider report, validated whole and stored whole or not at all. */
export async function uploadStatement(
  db: Db,
  upload: { format: CsvFormat; text: string; fileName: string; by: string },
) {
  try {
    return await importCsv(db, upload.format, upload.text, upload.fileName, upload.by);
  } catch (err) {
    if (err instanceof CsvRejected)
      throw new LedgerError('unprocessable', err.message, undefined, { problems: err.problems });
    throw err;
  }
}

/** Stored statement lines; `nextCursor` is the last id of the page (the one cursor style). */
export async function listStatementLines(
  db: Db,
  q: { provider?: string; from?: Date; to?: Date; after?: number; limit: number },
) {
  const page = await statementPage(db, q);
  return {
    lines: page.lines,
    nextCursor: page.nextAfter === null ? null : String(page.nextAfter),
  };
}

export async function listImports(db: Db) {
  const rows = await db.statementImport.findMany({ orderBy: { createdAt: 'desc' }, take: 200 });
  return { imports: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
}
