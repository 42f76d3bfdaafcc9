import type { Money } from '@bfi/money';

/** What the service asks a provider to collect. */
export interface CheckoutRequest {
  donationId: string;
  amount: Money;
  fund: string;
  donorEmail: string | null;
  description: string;
  successUrl: string;
  cancelUrl: string;
}

export interface CheckoutResult {
  checkoutSessionId?: string;
  orderId?: string;
  redirectUrl: string;
}

export interface ProviderRefund {
  refundId: string;
  amount: Money;
}

/** A provider said no (declined, unsupported, not found): shown to the person as is. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}
