// What an office console reads of its donations: the latest ones, and (when its live stream
// reconnects) the ones changed after the last event it saw.
import type { AppDeps } from './deps';
import { staffView, toView, type DonationView } from './view';

/** An office's latest 100 donations, newest first, as staff see them. */
export async function officeDonations(deps: AppDeps, officeId: string): Promise<DonationView[]> {
  const rows = await deps.db.donation.findMany({
    where: { officeId },
    include: { payment: true },
    orderBy: { createdAt: 'desc' },
    take: 100,
  });
  return rows.map((row) => staffView(toView(row)));
}

/**
 * Office donations changed after `since` (an event id the stream sent: a donation's updatedAt),
 * oldest first. No or an unreadable id: nothing to catch up on.
 */
export async function officeDonationsChangedSince(
  deps: AppDeps,
  officeId: string,
  since: string | undefined,
): Promise<DonationView[]> {
  const after = since ? new Date(since) : null;
  if (!after || Number.isNaN(after.getTime())) return [];
  const rows = await deps.db.donation.findMany({
    where: { officeId, updatedAt: { gt: after } },
    include: { payment: true },
    orderBy: { updatedAt: 'asc' },
    take: 100,
  });
  return rows.map((row) => staffView(toView(row)));
}
