import type { Money } from '@bfi/money';
import type { Db } from '../../db/client';
import { appendEntries, entryExists } from '../db/journal-repo';
import { LedgerError, payoutPosting, type ProviderName } from '../domain';

export interface PayoutRequest {
  provider: ProviderName;
  payoutId: string;
  amount: Money;
  occurredAt: Date;
}

/** Posts a provider payout to the bank (Dr bank / Cr clearing), once per provider payout id. */
export async function postPayout(
  db: Db,
  payout: PayoutRequest,
): Promise<{ entryId: string; seq: number }> {
  const draft = payoutPosting({ ...payout, occurredAt: payout.occurredAt.toISOString() });
  const posted = await db.$transaction(async (tx) => {
    if (await entryExists(tx, draft.idempotencyKey)) return null;
    return appendEntries(tx, [draft], null);
  });
  if (posted === null)
    throw new LedgerError(
      'conflict',
      `Payout ${payout.payoutId} from ${payout.provider} is already posted.`,
    );
  return { entryId: posted[0]!.id, seq: posted[0]!.seq };
}
