import type { Money } from '@bfi/money';

/** The languages of the donor pages; the donor's page language goes to the provider's checkout. */
export const DONOR_LOCALES = ['be', 'ru', 'en'] as const;
export type DonorLocale = (typeof DONOR_LOCALES)[number];

/** What the service asks a provider to collect. */
export interface CheckoutRequest {
  donationId: string;
  amount: Money;
  fund: string;
  donorEmail: string | null;
  description: string;
  successUrl: string;
  cancelUrl: string;
  /** The donor page's language, when the donor came from one. */
  locale: DonorLocale | null;
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
