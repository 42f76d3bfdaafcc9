import { randomUUID } from 'node:crypto';
import type { StatementLineDraft } from '../domain';
import { toNumber, type Db, type Tx } from '../../db/client';

export interface ImportCounts {
  /** New statement lines. */
  inserted: number;
  /** Lines already stored that gained the payout they were paid out in. */
  updated: number;
  /** Lines already stored, left as they were (re-import of the same period). */
  unchanged: number;
  /** Rows that move no money (e.g. PayPal lines not completed). */
  skipped: number;
  /**
   * Lines whose reference is already stored with other amounts or currency. The stored line
   * stays (statements are append-only, a provider does not rewrite history); finance is told.
   */
  conflicting: number;
}

/** A re-imported line that disagrees with the stored one (first ones, for the answer). */
export interface StatementConflict {
  reference: string;
  stored: { gross: number; fee: number; net: number; currency: string };
  imported: { gross: number; fee: number; net: number; currency: string };
}

const MAX_CONFLICTS_LISTED = 50;

export interface ImportMeta {
  provider: 'stripe' | 'paypal';
  source: string;
  detail: string;
  createdBy: string | null;
}

export interface ImportResult extends ImportCounts {
  importId: string;
  conflicts: StatementConflict[];
}

export interface PayoutRecord {
  provider: 'stripe' | 'paypal';
  payoutId: string;
  amount: number;
  currency: string;
  status: string;
  createdAt: string;
  arrivalDate: string;
}

const CHUNK = 1000;

/**
 * Stores statement lines idempotently (unique provider + reference). A line already stored is
 * left alone, except that it may gain its payout id (imported by date first, by payout later).
 * Payout lines also record the payout itself (amount = −gross). Chunks are committed as they
 * go; re-running an interrupted import adds only what is missing.
 */
export class StatementWriter {
  readonly importId = randomUUID();
  private readonly counts: ImportCounts = {
    inserted: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    conflicting: 0,
  };
  private readonly conflicts: StatementConflict[] = [];
  private pending: StatementLineDraft[] = [];

  constructor(
    private readonly db: Db,
    private readonly meta: ImportMeta,
  ) {}

  async add(line: StatementLineDraft): Promise<void> {
    this.pending.push(line);
    if (this.pending.length >= CHUNK) await this.flush();
  }

  skip(n = 1): void {
    this.counts.skipped += n;
  }

  async addPayouts(payouts: PayoutRecord[]): Promise<void> {
    if (payouts.length === 0) return;
    await upsertPayouts(this.db, payouts, this.importId, true);
  }

  async flush(): Promise<void> {
    const chunk = this.pending;
    this.pending = [];
    if (chunk.length === 0) return;
    const c = await this.db.$transaction((tx) => storeChunk(tx, chunk, this.importId));
    addChunk(this.counts, this.conflicts, c);
  }

  /** Flushes and records the import with its counts. */
  async finish(): Promise<ImportResult> {
    await this.flush();
    await this.db.statementImport.create({
      data: { id: this.importId, ...this.meta, ...this.counts },
    });
    return { importId: this.importId, ...this.counts, conflicts: this.conflicts };
  }
}

type ChunkResult = Omit<ImportCounts, 'skipped'> & { conflicts: StatementConflict[] };

function addChunk(counts: ImportCounts, conflicts: StatementConflict[], c: ChunkResult): void {
  counts.inserted += c.inserted;
  counts.updated += c.updated;
  counts.unchanged += c.unchanged;
  counts.conflicting += c.conflicting;
  conflicts.push(...c.conflicts.slice(0, MAX_CONFLICTS_LISTED - conflicts.length));
}

/** All lines in ONE transaction: an upload is stored whole or not at all. */
export async function storeAll(
  db: Db,
  lines: StatementLineDraft[],
  meta: ImportMeta,
  skipped: number,
): Promise<ImportResult> {
  const importId = randomUUID();
  return db.$transaction(
    async (tx) => {
      const counts = { inserted: 0, updated: 0, unchanged: 0, skipped, conflicting: 0 };
      const conflicts: StatementConflict[] = [];
      for (let i = 0; i < lines.length; i += CHUNK) {
        addChunk(counts, conflicts, await storeChunk(tx, lines.slice(i, i + CHUNK), importId));
      }
      await tx.statementImport.create({ data: { id: importId, ...meta, ...counts } });
      return { importId, ...counts, conflicts };
    },
    { timeout: 120_000 },
  );
}

/** One line per reference; a copy that knows its payout wins (listed by date, then by payout). */
function unique(lines: StatementLineDraft[]): StatementLineDraft[] {
  const byRef = new Map<string, StatementLineDraft>();
  for (const l of lines) {
    const key = `${l.provider}\u0000${l.reference}`;
    const seen = byRef.get(key);
    if (!seen || (!seen.payoutId && l.payoutId)) byRef.set(key, l);
  }
  return [...byRef.values()];
}

async function storeChunk(
  tx: Tx,
  chunk: StatementLineDraft[],
  importId: string,
): Promise<ChunkResult> {
  const lines = unique(chunk);
  const rows = lines.map((l) => ({
    provider: l.provider,
    reference: l.reference,
    source_ref: l.sourceRef,
    type: l.type,
    gross_minor: String(l.gross),
    fee_minor: String(l.fee),
    net_minor: String(l.net),
    currency: l.currency,
    created_at: l.createdAt,
    available_on: l.availableOn,
    payout_id: l.payoutId,
    description: l.description,
  }));
  const result = await tx.$queryRawUnsafe<{ reference: string; inserted: boolean }[]>(
    `INSERT INTO statement_line (provider, reference, source_ref, type, gross_minor, fee_minor, net_minor, currency,
                                 created_at, available_on, payout_id, description, import_id)
     SELECT provider, reference, source_ref, type, gross_minor, fee_minor, net_minor,
            currency, created_at, available_on, payout_id, description, $2::uuid
     FROM jsonb_to_recordset($1::jsonb) AS x(provider text, reference text, source_ref text, type text,
          gross_minor bigint, fee_minor bigint, net_minor bigint, currency text, created_at timestamptz,
          available_on timestamptz, payout_id text, description text)
     ON CONFLICT (provider, reference) DO UPDATE SET payout_id = EXCLUDED.payout_id
       WHERE statement_line.payout_id IS NULL AND EXCLUDED.payout_id IS NOT NULL
     RETURNING reference, (xmax = 0) AS inserted`,
    JSON.stringify(rows),
    importId,
  );
  const payouts = lines
    .filter((l) => l.type === 'payout')
    .map((l) => ({
      provider: l.provider,
      payoutId: l.payoutId ?? l.sourceRef,
      amount: -l.gross,
      currency: l.currency,
      status: 'paid',
      createdAt: l.createdAt,
      arrivalDate: l.availableOn ?? l.createdAt,
    }));
  await upsertPayouts(tx, payouts, importId, false);
  const conflicts = await findConflicts(tx, rows, importId);
  // Disjoint counts: a conflicting line is only "conflicting", even if it also gained a payout.
  const conflicting = new Set(conflicts.map((c) => c.reference));
  const inserted = result.filter((r) => r.inserted).length;
  const updated = result.filter((r) => !r.inserted && !conflicting.has(r.reference)).length;
  return {
    inserted,
    updated,
    unchanged: lines.length - inserted - updated - conflicting.size,
    conflicting: conflicting.size,
    conflicts: conflicts.slice(0, MAX_CONFLICTS_LISTED),
  };
}

/** Lines of this chunk whose stored twin (from an earlier import) has other money in it. */
async function findConflicts(
  tx: Tx,
  rows: { provider: string; reference: string }[],
  importId: string,
): Promise<StatementConflict[]> {
  const found = await tx.$queryRawUnsafe<
    {
      reference: string;
      gross: bigint;
      fee: bigint;
      net: bigint;
      currency: string;
      new_gross: bigint;
      new_fee: bigint;
      new_net: bigint;
      new_currency: string;
    }[]
  >(
    `SELECT s.reference, s.gross_minor AS gross, s.fee_minor AS fee, s.net_minor AS net, s.currency,
            x.gross_minor AS new_gross, x.fee_minor AS new_fee, x.net_minor AS new_net, x.currency AS new_currency
     FROM jsonb_to_recordset($1::jsonb) AS x(provider text, reference text, gross_minor bigint,
          fee_minor bigint, net_minor bigint, currency text)
     JOIN statement_line s ON s.provider = x.provider AND s.reference = x.reference
     WHERE s.import_id <> $2::uuid
       AND (s.gross_minor, s.fee_minor, s.net_minor, s.currency)
           IS DISTINCT FROM (x.gross_minor, x.fee_minor, x.net_minor, x.currency)
     ORDER BY s.id`,
    JSON.stringify(rows),
    importId,
  );
  return found.map((r) => ({
    reference: r.reference,
    stored: {
      gross: toNumber(r.gross),
      fee: toNumber(r.fee),
      net: toNumber(r.net),
      currency: r.currency,
    },
    imported: {
      gross: toNumber(r.new_gross),
      fee: toNumber(r.new_fee),
      net: toNumber(r.new_net),
      currency: r.new_currency,
    },
  }));
}

/** `fromApi`: the payout object itself (status, arrival date) wins over one derived from its line. */
async function upsertPayouts(
  db: Db | Tx,
  payouts: PayoutRecord[],
  importId: string,
  fromApi: boolean,
) {
  if (payouts.length === 0) return;
  await db.$executeRawUnsafe(
    `INSERT INTO provider_payout (provider, payout_id, amount_minor, currency, status, created_at, arrival_date, import_id)
     SELECT DISTINCT ON (provider, payout_id) provider, payout_id, amount_minor, currency, status, created_at, arrival_date, $2::uuid
     FROM jsonb_to_recordset($1::jsonb) AS x(provider text, payout_id text, amount_minor bigint, currency text,
          status text, created_at timestamptz, arrival_date timestamptz)
     ON CONFLICT (provider, payout_id) DO ${fromApi ? 'UPDATE SET status = EXCLUDED.status, arrival_date = EXCLUDED.arrival_date' : 'NOTHING'}`,
    JSON.stringify(
      payouts.map((p) => ({
        provider: p.provider,
        payout_id: p.payoutId,
        amount_minor: String(p.amount),
        currency: p.currency,
        status: p.status,
        created_at: p.createdAt,
        arrival_date: p.arrivalDate,
      })),
    ),
    importId,
  );
}

export interface StatementLineView {
  provider: string;
  reference: string;
  sourceRef: string;
  type: string;
  gross: number;
  fee: number;
  net: number;
  currency: string;
  createdAt: string;
  availableOn: string | null;
  payoutId: string | null;
  description: string | null;
}

/** Statement lines by creation time, keyset-paged on id. */
export async function statementPage(
  db: Db,
  q: { provider?: string; from?: Date; to?: Date; after?: number; limit: number },
): Promise<{ lines: StatementLineView[]; nextAfter: number | null }> {
  const rows = await db.statementLine.findMany({
    where: {
      ...(q.provider ? { provider: q.provider } : {}),
      ...(q.after !== undefined ? { id: { gt: BigInt(q.after) } } : {}),
      ...(q.from || q.to
        ? { createdAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } }
        : {}),
    },
    orderBy: { id: 'asc' },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    lines: page.map((r) => ({
      provider: r.provider,
      reference: r.reference,
      sourceRef: r.sourceRef,
      type: r.type,
      gross: toNumber(r.grossMinor),
      fee: toNumber(r.feeMinor),
      net: toNumber(r.netMinor),
      currency: r.currency,
      createdAt: r.createdAt.toISOString(),
      availableOn: r.availableOn?.toISOString() ?? null,
      payoutId: r.payoutId,
      description: r.description,
    })),
    nextAfter: rows.length > q.limit ? toNumber(page.at(-1)!.id) : null,
  };
}
