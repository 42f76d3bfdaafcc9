import { randomUUID } from 'node:crypto';
import { feeBearer } from '../../ledger/domain';
import { correctionPosting, isDiscrepancy } from '../domain';
import type { Db } from '../../db/client';
import { findFund } from '../../ledger/db/funds-repo';
import { appendEntries } from '../../ledger/db/journal-repo';
import { currentLedgerSide, runLines, type Resolution } from '../db/reconciliation-repo';

export type ResolveAction = 'accept' | 'correct' | 'reopen';

export interface ResolveRequest {
  runId: string;
  lineNo: number;
  action: ResolveAction;
  comment: string;
  /** For `correct`: the fund the money belongs to when the ledger has none for the key. */
  fund?: string;
  by: string;
}

/** Why a resolution was refused: `status` says which HTTP answer fits. */
export class ResolveError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Records a finance decision on a discrepancy (append-only audit trail). `correct` also posts
 * the correcting ledger entry (kind `correction`) in the same transaction, after checking the
 * ledger still holds what the run saw for that key (a correction is never posted twice).
 */
export async function resolveLine(
  db: Db,
  req: ResolveRequest,
): Promise<Resolution & { entrySeq: number | null }> {
  return db.$transaction(async (tx) => {
    // Serialize with every other posting: the check below and the append see the same ledger.
    await tx.$queryRaw`SELECT 1 FROM ledger_chain_head WHERE id = 1 FOR UPDATE`;
    const [line] = await runLines(tx, req.runId, { lineNo: req.lineNo, limit: 1 });
    if (!line) throw new ResolveError(404, `Run ${req.runId} has no line ${req.lineNo}.`);
    if (!isDiscrepancy(line.status))
      throw new ResolveError(
        409,
        `Line ${req.lineNo} is ${line.status}: there is nothing to resolve.`,
      );
    const resolved = line.resolution !== null && line.resolution.action !== 'reopened';
    if (req.action === 'reopen' && !resolved)
      throw new ResolveError(
        409,
        `Line ${req.lineNo} is not resolved; there is nothing to reopen.`,
      );
    if (req.action !== 'reopen' && resolved)
      throw new ResolveError(
        409,
        `Line ${req.lineNo} was already ${line.resolution!.action} by ${line.resolution!.resolvedBy} (${line.resolution!.comment}). Reopen it first.`,
      );
    const id = randomUUID();
    let correctionEntryId: string | null = null;
    let entrySeq: number | null = null;
    if (req.action === 'correct') {
      const now = await currentLedgerSide(tx, line);
      const seen =
        line.ledgerCurrency === null || line.ledgerGross === null
          ? []
          : [{ currency: line.ledgerCurrency, gross: line.ledgerGross, fee: line.ledgerFee ?? 0 }];
      if (JSON.stringify(now) !== JSON.stringify(seen.filter((s) => s.gross || s.fee))) {
        throw new ResolveError(
          409,
          `The ledger changed for ${line.provider} ${line.type} ${line.ref} since this run (it now holds ${JSON.stringify(now)}). Run a new reconciliation and correct from there.`,
        );
      }
      const fundSlug = req.fund ?? line.fund;
      const fund = fundSlug ? await findFund(tx, fundSlug) : null;
      if (fundSlug && !fund)
        throw new ResolveError(422, `There is no fund "${fundSlug}". GET /funds lists the funds.`);
      let draft;
      try {
        draft = correctionPosting({
          line,
          fund: fund?.slug ?? null,
          feeFund: fund ? feeBearer(fund) : null,
          resolutionId: id,
          comment: req.comment,
          occurredAt: line.occurredAt ?? new Date().toISOString(),
        });
      } catch (err) {
        throw new ResolveError(422, err instanceof Error ? err.message : String(err));
      }
      const [posted] = await appendEntries(tx, [draft], null);
      correctionEntryId = posted!.id;
      entrySeq = posted!.seq;
      await tx.ledgerCorrection.create({
        data: { entryId: posted!.id, provider: line.provider, type: line.type, ref: line.ref },
      });
    }
    const action =
      req.action === 'accept' ? 'accepted' : req.action === 'correct' ? 'corrected' : 'reopened';
    const row = await tx.discrepancyResolution.create({
      data: {
        id,
        runId: req.runId,
        lineNo: req.lineNo,
        action,
        comment: req.comment,
        correctionEntryId,
        resolvedBy: req.by,
      },
    });
    return {
      id,
      action,
      comment: row.comment,
      correctionEntryId,
      resolvedBy: row.resolvedBy,
      resolvedAt: row.resolvedAt.toISOString(),
      entrySeq,
    };
  });
}
