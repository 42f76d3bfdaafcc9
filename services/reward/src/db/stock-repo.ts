// Office stock: two counters per office plus the append-only movement ledger that explains
// them. Every counter change goes through a conditional UPDATE, so concurrent reservations
// can never take the same pack twice nor drive a counter below zero (CHECKs back this up).
import type { Reader, Tx } from './client';

export type MovementKind =
  'delivery' | 'reservation' | 'hand-out' | 'return' | 'adjustment' | 'count';

export interface Movement {
  officeId: string;
  kind: MovementKind;
  availableDelta: number;
  reservedDelta: number;
  rewardId?: string | null;
  reason?: string | null;
  actor: string;
}

export interface StockCounters {
  officeId: string;
  available: number;
  reserved: number;
}

/** Creates the office's stock row (zero) if it does not exist yet. */
export async function ensureOffice(tx: Tx, officeId: string): Promise<void> {
  await tx.officeStock.createMany({ data: [{ officeId }], skipDuplicates: true });
}

/**
 * Applies the deltas only if neither counter would go below zero, and writes the ledger line,
 * in ONE statement: the office row is locked only for the rest of the caller's transaction,
 * and concurrent callers queue on that lock and re-check the guard. True when applied.
 */
export async function applyMovement(tx: Tx, m: Movement): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    WITH changed AS (
      UPDATE office_stock
         SET available = available + ${m.availableDelta}, reserved = reserved + ${m.reservedDelta}, updated_at = now()
       WHERE office_id = ${m.officeId} AND available + ${m.availableDelta} >= 0 AND reserved + ${m.reservedDelta} >= 0
       RETURNING office_id)
    INSERT INTO stock_movement (office_id, kind, available_delta, reserved_delta, reward_id, reason, actor)
    SELECT office_id, ${m.kind}, ${m.availableDelta}, ${m.reservedDelta}, ${m.rewardId ?? null}::uuid, ${m.reason ?? null}, ${m.actor}
      FROM changed`;
  return inserted === 1;
}

/** applyMovement for an office that may not have a stock row yet (deliveries, adjustments). */
export async function moveStock(tx: Tx, m: Movement): Promise<boolean> {
  await ensureOffice(tx, m.officeId);
  return applyMovement(tx, m);
}

/**
 * Takes one pack off the shelf for a (waiting-list) reward: available − 1 / reserved + 1 only
 * while available > 0, the reservation line, and the reward made available with its claim
 * deadline — one statement. False (nothing changed) when the shelf is empty.
 */
export async function reservePack(
  tx: Tx,
  officeId: string,
  rewardId: string,
  claimExpiresAt: Date,
  reason: string | null,
  actor: string,
): Promise<boolean> {
  const updated = await tx.$executeRaw`
    WITH taken AS (
      UPDATE office_stock SET available = available - 1, reserved = reserved + 1, updated_at = now()
       WHERE office_id = ${officeId} AND available > 0
       RETURNING office_id),
    line AS (
      INSERT INTO stock_movement (office_id, kind, available_delta, reserved_delta, reward_id, reason, actor)
      SELECT office_id, 'reservation', -1, 1, ${rewardId}::uuid, ${reason}, ${actor} FROM taken)
    UPDATE reward SET status = 'available', claim_expires_at = ${claimExpiresAt}, updated_at = now()
     WHERE id = ${rewardId}::uuid AND status = 'waiting-list' AND EXISTS (SELECT 1 FROM taken)`;
  return updated === 1;
}

/** Locks the office row for a read-modify-write (stock count). */
export async function lockCounters(tx: Tx, officeId: string): Promise<StockCounters> {
  await ensureOffice(tx, officeId);
  const rows = await tx.$queryRaw<StockCounters[]>`
    SELECT office_id AS "officeId", available, reserved FROM office_stock WHERE office_id = ${officeId} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new Error(`office_stock row for ${officeId} vanished`);
  return row;
}

export async function countersOf(db: Reader, officeId: string): Promise<StockCounters> {
  const row = await db.officeStock.findUnique({ where: { officeId } });
  return { officeId, available: row?.available ?? 0, reserved: row?.reserved ?? 0 };
}

export async function movementsOf(db: Reader, officeId: string, limit: number, beforeId?: bigint) {
  return db.stockMovement.findMany({
    where: { officeId, ...(beforeId === undefined ? {} : { id: { lt: beforeId } }) },
    orderBy: { id: 'desc' },
    take: limit,
  });
}

/** Sums of the ledger per office: what the counters must equal. */
export async function ledgerTotals(
  db: Reader,
  officeId: string,
): Promise<{ available: number; reserved: number }> {
  const sums = await db.stockMovement.aggregate({
    where: { officeId },
    _sum: { availableDelta: true, reservedDelta: true },
  });
  return { available: sums._sum.availableDelta ?? 0, reserved: sums._sum.reservedDelta ?? 0 };
}

export interface OfficeOverview {
  officeId: string;
  available: number;
  reserved: number;
  waitingList: number;
  handedOut: number;
  digitalFallbacks: number;
  lastMovementAt: Date | null;
}

/** Every office we know of (stock row or any reward): counters and reward counts. */
export async function stockOverview(db: Reader): Promise<OfficeOverview[]> {
  const rows = await db.$queryRaw<
    {
      officeId: string;
      available: number;
      reserved: number;
      waitingList: bigint;
      handedOut: bigint;
      digitalFallbacks: bigint;
      lastMovementAt: Date | null;
    }[]
  >`
    WITH offices AS (
      SELECT office_id FROM office_stock
      UNION SELECT office_id FROM reward WHERE office_id IS NOT NULL
    )
    SELECT o.office_id AS "officeId",
           coalesce(s.available, 0) AS available,
           coalesce(s.reserved, 0) AS reserved,
           (SELECT count(*) FROM reward r WHERE r.office_id = o.office_id AND r.status = 'waiting-list') AS "waitingList",
           (SELECT count(*) FROM reward r WHERE r.office_id = o.office_id AND r.kind = 'physical-sticker-pack'
                                              AND r.status IN ('handed-out', 'flagged')) AS "handedOut",
           (SELECT count(*) FROM reward r WHERE r.office_id = o.office_id AND r.fallback) AS "digitalFallbacks",
           (SELECT max(created_at) FROM stock_movement m WHERE m.office_id = o.office_id) AS "lastMovementAt"
      FROM offices o LEFT JOIN office_stock s ON s.office_id = o.office_id
     ORDER BY o.office_id`;
  return rows.map((r) => ({
    ...r,
    waitingList: Number(r.waitingList),
    handedOut: Number(r.handedOut),
    digitalFallbacks: Number(r.digitalFallbacks),
  }));
}

export interface OfficeSnapshot {
  available: number;
  reserved: number;
  onShelf: number;
  waitingList: number;
  /** Id of the office's last stock movement ('0' for none): changes with every stock change. */
  lastMovementId: string;
  /** When a reward of the office last changed (handed out, expired, revoked, reserved). */
  rewardsChangedAt: string | null;
}

/** What an office's live stream sends: counters, waiting list and markers of the last change. */
export async function officeSnapshot(db: Reader, officeId: string): Promise<OfficeSnapshot> {
  const [stock, waiting, last, changed] = await Promise.all([
    countersOf(db, officeId),
    db.reward.count({ where: { officeId, status: 'waiting-list' } }),
    db.stockMovement.findFirst({
      where: { officeId },
      orderBy: { id: 'desc' },
      select: { id: true },
    }),
    db.reward.aggregate({ where: { officeId }, _max: { updatedAt: true } }),
  ]);
  return {
    available: stock.available,
    reserved: stock.reserved,
    onShelf: stock.available + stock.reserved,
    waitingList: waiting,
    lastMovementId: (last?.id ?? 0n).toString(),
    rewardsChangedAt: changed._max.updatedAt?.toISOString() ?? null,
  };
}
