import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import { feeBearer, holdPostingLock, LedgerError, postCorrection, requireFund } from '../../ledger';
import { correctionPosting, isDiscrepancy } from '../domain';
import {
  currentLedgerSide,
  runLines,
  type Resolution,
  type StoredLine,
} from '../db/reconciliation-repo';

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
    await holdPostingLock(tx);
    const line = await resolvableLine(tx, req);
    const id = randomUUID();
    const correction =
      req.action === 'correct'
        ? await postLineCorrection(tx, line, req, id)
        : { correctionEntryId: null, entrySeq: null };
    const action =
      req.action === 'accept' ? 'accepted' : req.action === 'correct' ? 'corrected' : 'reopened';
    const row = await tx.discrepancyResolution.create({
      data: {
        id,
        runId: req.runId,
        lineNo: req.lineNo,
        action,
        comment: req.comment,
        correctionEntryId: correction.correctionEntryId,
        resolvedBy: req.by,
      },
    });
    return {
      id,
      action,
      comment: row.comment,
      correctionEntryId: correction.correctionEntryId,
      resolvedBy: row.resolvedBy,
      resolvedAt: row.resolvedAt.toISOString(),
      entrySeq: correction.entrySeq,
    };
  });
}

/** The line, if the action fits its state (a discrepancy; resolved only for reopen). */
async function resolvableLine(tx: Tx, req: ResolveRequest): Promise<StoredLine> {
  const [line] = await runLines(tx, req.runId, { lineNo: req.lineNo, limit: 1 });
  if (!line) throw new LedgerError('not-found', `Run ${req.runId} has no line ${req.lineNo}.`);
  if (!isDiscrepancy(line.status))
    throw new LedgerError(
      'conflict',
      `Line ${req.lineNo} is ${line.status}: there is nothing to resolve.`,
    );
  const resolved = line.resolution !== null && line.resolution.action !== 'reopened';
  if (req.action === 'reopen' && !resolved)
    throw new LedgerError(
      'conflict',
      `Line ${req.lineNo} is not resolved; there is nothing to reopen.`,
    );
  if (req.action !== 'reopen' && resolved)
    throw new LedgerError(
      'conflict',
      `Line ${req.lineNo} was already ${line.resolution!.action} by ${line.resolution!.resolvedBy} (${line.resolution!.comment}). Reopen it first.`,
    );
  return line;
}

/** Posts the correcting entry of a line, once the ledger still holds what the run saw. */
async function postLineCorrection(tx: Tx, line: StoredLine, req: ResolveRequest, id: string) {
  const now = await currentLedgerSide(tx, line);
  const seen =
    line.ledgerCurrency === null || line.ledgerGross === null
      ? []
      : [{ currency: line.ledgerCurrency, gross: line.ledgerGross, fee: line.ledgerFee ?? 0 }];
  if (JSON.stringify(now) !== JSON.stringify(seen.filter((s) => s.gross || s.fee))) {
    throw new LedgerError(
      'conflict',
      `The ledger changed for ${line.provider} ${line.type} ${line.ref} since this run (it now holds ${JSON.stringify(now)}). Run a new reconciliation and correct from there.`,
    );
  }
  const fundSlug = req.fund ?? line.fund;
  const fund = fundSlug ? await requireFund(tx, fundSlug, 'unprocessable') : null;
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
    throw new LedgerError('unprocessable', err instanceof Error ? err.message : String(err));
  }
  const posted = await postCorrection(tx, draft);
  await tx.ledgerCorrection.create({
    data: { entryId: posted.id, provider: line.provider, type: line.type, ref: line.ref },
  });
  return { correctionEntryId: posted.id as string | null, entrySeq: posted.seq as number | null };
}
