import { createHash } from 'node:crypto';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** An entry as stored: what the hash covers (everything but posted_at and the hashes). */
export interface StoredEntryContent {
  id: string;
  seq: number;
  kind: string;
  idempotencyKey: string;
  donationId: string | null;
  fund: string | null;
  channel: string | null;
  officeId: string | null;
  provider: string | null;
  providerRef: string | null;
  sourceEventId: string | null;
  description: string;
  occurredAt: string;
  lines: {
    lineNo: number;
    account: string;
    accountType: string;
    fund: string | null;
    currency: string;
    amount: number;
  }[];
}

/**
 * Canonical text of an entry: a JSON array in fixed field order (no key-order ambiguity),
 * lines sorted by line number, timestamps as ISO 8601 UTC with milliseconds.
 */
export function canonicalContent(e: StoredEntryContent): string {
  const lines = [...e.lines]
    .sort((a, b) => a.lineNo - b.lineNo)
    .map((l) => [l.lineNo, l.account, l.accountType, l.fund, l.currency, String(l.amount)]);
  return JSON.stringify([
    e.seq,
    e.id,
    e.kind,
    e.idempotencyKey,
    e.donationId,
    e.fund,
    e.channel,
    e.officeId,
    e.provider,
    e.providerRef,
    e.sourceEventId,
    e.description,
    new Date(e.occurredAt).toISOString(),
    lines,
  ]);
}

/** sha256(prev_hash + canonical content), hex. */
export function entryHash(prevHash: string, entry: StoredEntryContent): string {
  return createHash('sha256').update(prevHash).update(canonicalContent(entry)).digest('hex');
}

export type ChainBreak = {
  seq: number;
  entryId: string;
  problem: 'prev-hash-mismatch' | 'hash-mismatch' | 'seq-gap';
  detail: string;
};

/**
 * Checks one link: the entry must follow `prev` (seq + 1, prev_hash = prev.hash) and its
 * stored hash must match its content. Returns the break, or null when the link holds.
 */
export function checkLink(
  prev: { seq: number; hash: string },
  entry: StoredEntryContent & { prevHash: string; hash: string },
): ChainBreak | null {
  const at = { seq: entry.seq, entryId: entry.id };
  if (entry.seq !== prev.seq + 1) {
    return {
      ...at,
      problem: 'seq-gap',
      detail: `entry ${entry.seq} follows entry ${prev.seq}: entries are missing`,
    };
  }
  if (entry.prevHash !== prev.hash) {
    return {
      ...at,
      problem: 'prev-hash-mismatch',
      detail: `prev_hash ${entry.prevHash} is not the hash of entry ${prev.seq} (${prev.hash})`,
    };
  }
  const computed = entryHash(entry.prevHash, entry);
  if (computed !== entry.hash) {
    return {
      ...at,
      problem: 'hash-mismatch',
      detail: `stored hash ${entry.hash} does not match the entry's content (${computed}): the entry was changed`,
    };
  }
  return null;
}
