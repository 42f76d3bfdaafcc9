import type { Tx } from './client';

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

export async function parkedFor(tx: Tx, donationId: string): Promise<ParkedRow[]> {
  return tx.parkedEvent.findMany({ where: { donationId }, orderBy: { seq: 'asc' } });
}

export async function unpark(tx: Tx, eventId: string): Promise<void> {
  await tx.parkedEvent.delete({ where: { eventId } });
}
