import { checkLink, GENESIS_HASH, type ChainBreak } from '../domain';
import { toNumber, type Db } from '../../db/client';
import { entriesInOrder } from './journal-query';

export interface AuditReport {
  ok: boolean;
  /** Entries whose link was checked before the first break (all of them when ok). */
  checked: number;
  head: { seq: number; hash: string };
  firstBreak: ChainBreak | null;
}

/**
 * Walks the hash chain from the first entry: each entry must follow the previous one (seq + 1,
 * prev_hash = its hash) and hash to its stored hash. Finally the chain head must point at the
 * last entry (catches entries removed from the end). Reports the first break.
 */
export async function verifyChain(db: Db): Promise<AuditReport> {
  const headRow = await db.chainHead.findUniqueOrThrow({ where: { id: 1 } });
  const head = { seq: toNumber(headRow.seq), hash: headRow.hash };
  let prev = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for await (const entry of entriesInOrder(db)) {
    const broken = checkLink(prev, entry);
    if (broken) return { ok: false, checked, head, firstBreak: broken };
    prev = { seq: entry.seq, hash: entry.hash };
    checked += 1;
  }
  if (prev.seq !== head.seq || prev.hash !== head.hash) {
    return {
      ok: false,
      checked,
      head,
      firstBreak: {
        seq: prev.seq + 1,
        entryId: '',
        problem: 'seq-gap',
        detail: `the chain head is at entry ${head.seq} (${head.hash}) but the journal ends at entry ${prev.seq}: entries are missing`,
      },
    };
  }
  return { ok: true, checked, head, firstBreak: null };
}
