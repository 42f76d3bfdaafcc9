// payment's manage routes for a monthly gift (no account: the signed token in the path is the
// proof). The token is the donor's secret: it goes in the path payment expects, never in logs.
import type { Money } from '@bfi/money';
import { call } from './api';

export type SubscriptionStatus = 'pending' | 'active' | 'past_due' | 'cancelled';

export interface SubscriptionView {
  id: string;
  status: SubscriptionStatus;
  provider: string;
  fund: string;
  amount: Money;
  donorEmail: string | null;
  startedAt: string | null;
  nextChargeAt: string | null;
  cancelledAt: string | null;
  installments: {
    donationId: string;
    installment: number;
    amount: Money;
    status: string;
    occurredAt: string;
  }[];
}

const seg = encodeURIComponent;

export class MonthlyApi {
  constructor(private readonly paymentUrl: string) {}

  private url(token: string, rest = ''): string {
    return `${this.paymentUrl}/subscriptions/manage/${seg(token)}${rest}`;
  }

  view(token: string) {
    return call<SubscriptionView>(this.url(token));
  }

  changeAmount(token: string, amount: number) {
    return call<SubscriptionView>(this.url(token), {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount }),
    });
  }

  cancel(token: string) {
    return call<SubscriptionView>(this.url(token, '/cancel'), { method: 'POST' });
  }

  annualSummary(token: string, year: number) {
    return call<unknown>(this.url(token, '/annual-summary'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ year }),
    });
  }
}
