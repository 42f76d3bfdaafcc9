import { GENERAL_FUND } from './accounts';

/** Who bears the processor fees of donations to a fund. */
export type FeePolicy = 'fund' | 'general';

export interface Fund {
  slug: string;
  name: string;
  restricted: boolean;
  feePolicy: FeePolicy;
  description: string | null;
}

/** The fund a donation's processor fee is charged to, by the donation fund's fee policy. */
export function feeBearer(fund: Pick<Fund, 'slug' | 'feePolicy'>): string {
  return fund.feePolicy === 'general' ? GENERAL_FUND : fund.slug;
}
