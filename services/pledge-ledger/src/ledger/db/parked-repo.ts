import type { Tx } from '../../db/client';

export interface ParkedRow {
  eventId: string;
  donationId: string;
  type: string;
  payload: string;
  reason: string;
  parkedAt: Date;
}

export async function parkEvent(tx: Tx, row: Omit<ParkedRow, 'parkedAt'>): Promise<void> {
  await tx.parkedEvent.upsert({
    where: { eventId: row.eventId },
    create: row,
    update: { reason: row.reason },
  });
}

/** The donation's events still waiting (not those refused on replay), in arrival order. */
export async function parkedFor(tx: Tx, donationId: string): Promise<ParkedRow[]> {
  return tx.parkedEvent.findMany({
    where: { donationId, refusedAt: null },
    orderBy: { seq: 'asc' },
  });
}

/** Marks a parked event refused on replay; the sweeper dead-letters it after commit. */
export async function markRefused(tx: Tx, eventId: string, reason: string): Promise<void> {
  await tx.parkedEvent.update({ where: { eventId }, data: { reason, refusedAt: new Date() } });
}

export async function unpark(tx: Tx, eventId: string): Promise<void> {
  await tx.parkedEvent.delete({ where: { eventId } });
}
