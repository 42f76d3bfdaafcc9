import { randomUUID } from 'node:crypto';
import { balanced, entryHash, type EntryDraft, type StoredEntryContent } from '../domain';
import { toNumber, type Tx } from '../../db/client';

export interface PostedEntry {
  id: string;
  seq: number;
  hash: string;
  draft: EntryDraft;
}

/**
 * The chain head as this transaction left it. Once a transaction has locked the head row, nobody
 * else can move it until commit, so later appends in the same transaction (a consumer batch of
 * 100 events) skip the SELECT … FOR UPDATE round trip. Keyed by the transaction object: a
 * failed transaction is thrown away with its entry.
 */
const lockedHeads = new WeakMap<Tx, { seq: number; hash: string }>();

async function lockHead(tx: Tx): Promise<{ seq: number; hash: string }> {
  const known = lockedHeads.get(tx);
  if (known) return known;
  const [head] = await tx.$queryRaw<
    { seq: bigint; hash: string }[]
  >`SELECT seq, hash FROM ledger_chain_head WHERE id = 1 FOR UPDATE`;
  if (!head)
    throw new Error('ledger_chain_head has no row: the ledger_integrity migration was not applied');
  return { seq: toNumber(head.seq), hash: head.hash };
}

/**
 * Appends entries to the journal and the hash chain. The chain head row is locked FOR UPDATE,
 * so concurrent appends (several consumers, replicas, finance corrections) queue up and every
 * entry links to the one before it. The database re-checks the balance at commit.
 */
export async function appendEntries(
  tx: Tx,
  drafts: EntryDraft[],
  /** The event each entry comes from: one id for all, or one per draft (a consumer chunk). */
  sourceEventId: string | null | readonly (string | null)[],
): Promise<PostedEntry[]> {
  if (drafts.length === 0) return [];
  drafts.forEach(balanced);
  const sourceOf = (i: number) =>
    typeof sourceEventId === 'string' || sourceEventId === null
      ? sourceEventId
      : (sourceEventId[i] ?? null);
  const head = await lockHead(tx);
  let seq = head.seq;
  let prevHash = head.hash;
  const posted: Chained[] = [];
  for (const [i, draft] of drafts.entries()) {
    seq += 1;
    const content = storedContent(draft, randomUUID(), seq, sourceOf(i));
    const hash = entryHash(prevHash, content);
    posted.push({ id: content.id, seq, hash, draft, content, prevHash });
    prevHash = hash;
  }
  // One statement for entries, lines and the new chain head: each round trip costs more than
  // the SQL itself (`npm run bench` prints statements per ledger event).
  const { entries, lines } = insertRows(posted);
  await tx.$executeRawUnsafe(
    `WITH e AS (
       INSERT INTO journal_entry (id, seq, kind, idempotency_key, donation_id, fund, channel, office_id, provider,
                                  provider_ref, source_event_id, description, occurred_at, prev_hash, hash)
       SELECT id, seq, kind, idempotency_key, donation_id, fund, channel, office_id, provider,
              provider_ref, source_event_id, description, occurred_at, prev_hash, hash
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, seq bigint, kind text, idempotency_key text, donation_id uuid,
            fund text, channel text, office_id text, provider text, provider_ref text, source_event_id uuid,
            description text, occurred_at timestamptz, prev_hash text, hash text)
       RETURNING 1
     ), l AS (
       INSERT INTO journal_line (entry_id, line_no, account, account_type, fund, currency, amount_minor)
       SELECT entry_id, line_no, account, account_type, fund, currency, amount_minor
       FROM jsonb_to_recordset($2::jsonb) AS y(entry_id uuid, line_no int, account text, account_type text, fund text,
            currency text, amount_minor bigint)
       RETURNING 1
     )
     UPDATE ledger_chain_head SET seq = $3, hash = $4 WHERE id = 1`,
    JSON.stringify(entries),
    JSON.stringify(lines),
    BigInt(seq),
    prevHash,
  );
  lockedHeads.set(tx, { seq, hash: prevHash });
  return posted.map(({ id, seq: s, hash, draft }) => ({ id, seq: s, hash, draft }));
}

type Chained = PostedEntry & { content: StoredEntryContent; prevHash: string };

/** The journal_entry and journal_line rows of chained entries (jsonb_to_recordset inputs). */
function insertRows(posted: Chained[]) {
  const entries = posted.map(({ content: c, prevHash: p, hash }) => ({
    id: c.id,
    seq: c.seq,
    kind: c.kind,
    idempotency_key: c.idempotencyKey,
    donation_id: c.donationId,
    fund: c.fund,
    channel: c.channel,
    office_id: c.officeId,
    provider: c.provider,
    provider_ref: c.providerRef,
    source_event_id: c.sourceEventId,
    description: c.description,
    occurred_at: c.occurredAt,
    prev_hash: p,
    hash,
  }));
  const lines = posted.flatMap(({ content: c }) =>
    c.lines.map((l) => ({
      entry_id: c.id,
      line_no: l.lineNo,
      account: l.account,
      account_type: l.accountType,
      fund: l.fund,
      currency: l.currency,
      amount_minor: String(l.amount),
    })),
  );
  return { entries, lines };
}

function storedContent(
  draft: EntryDraft,
  id: string,
  seq: number,
  sourceEventId: string | null,
): StoredEntryContent {
  return {
    id,
    seq,
    kind: draft.kind,
    idempotencyKey: draft.idempotencyKey,
    donationId: draft.donationId,
    fund: draft.fund,
    channel: draft.channel,
    officeId: draft.officeId,
    provider: draft.provider,
    providerRef: draft.providerRef,
    sourceEventId,
    description: draft.description,
    occurredAt: new Date(draft.occurredAt).toISOString(),
    lines: draft.lines.map((l, i) => ({
      lineNo: i + 1,
      account: l.account.code,
      accountType: l.account.type,
      fund: l.account.fund,
      currency: l.account.currency,
      amount: l.amount,
    })),
  };
}

/** Whether the fact with this idempotency key is posted. */
export async function entryExists(tx: Tx, idempotencyKey: string): Promise<boolean> {
  const found = await tx.journalEntry.findUnique({
    where: { idempotencyKey },
    select: { id: true },
  });
  return found !== null;
}
