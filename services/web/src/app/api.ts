// The three services' HTTP APIs as this server calls them. Pages never reach the APIs from the
// browser: one origin for everything the donor loads, so no CORS and a tight CSP.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Money } from '@bfi/money';
import type { WebConfig } from '../config';

// The browser's address, for the request being served. The APIs limit streams and requests per
// client: without it every donor would count as this one server (10 live streams, 300 gifts a
// minute for the whole campaign). They trust it as one proxy hop (TRUST_PROXY).
const donorAddress = new AsyncLocalStorage<string>();

/** Runs the rest of this request with its client address forwarded on every API call. */
export function forwardDonorAddress(ip: string | undefined, next: () => void): void {
  donorAddress.run(ip ?? '', next);
}

/** Headers every call to an API carries: X-Forwarded-For with the donor's address. */
export function upstreamHeaders(): Record<string, string> {
  const ip = donorAddress.getStore();
  return ip ? { 'x-forwarded-for': ip } : {};
}

export interface ApiAnswer<T> {
  status: number;
  ok: boolean;
  body: T;
  /** The problem+json `detail` when the API refused. */
  detail: string | null;
}

/** The API could not be reached at all (network, DNS, timeout). */
export class ApiUnavailable extends Error {}

export interface CampaignTotals {
  raised: { currency: string; minor: number }[];
  donors: number;
  version: number;
}

export interface PointToken {
  kind: 'poster' | 'counter';
  office: { id: string; name: string };
  pointLabel: string;
  amount: Money | null;
  expiresAt: string | null;
}

export interface Donation {
  id: string;
  status: string;
  amount: Money;
  fund: string;
  provider: string;
  channel: string;
  officeId: string | null;
  officeName: string | null;
  redirectUrl: string | null;
  providerRefs: Record<string, string>;
  receipt: { number: string; issuedAt: string; donorName: string | null } | null;
  /** The part of `amount` the donor added to cover the card fee (null: none). */
  coveredFee?: Money | null;
  createdAt: string;
  updatedAt: string;
  /** A monthly gift's installment: its subscription (the manage token only where payment gives it). */
  subscription?: { id: string; manageToken?: string; installment?: number } | null;
  recurrence?: { subscriptionId: string; installment: number } | null;
}

export interface Reward {
  kind: 'physical-sticker-pack' | 'digital-sticker-pack';
  status: string;
  officeId: string | null;
  claimCode: string | null;
  qr: { png: string; svg: string } | null;
}

export interface NewDonation {
  amount: number;
  currency: string;
  provider: 'stripe' | 'paypal';
  donorName?: string;
  donorEmail?: string;
  pointToken?: string;
  /** The page language: the provider's checkout page and the receipt e-mail speak it. */
  locale?: 'be' | 'ru' | 'en';
  /** Add the estimated card fee so all of `amount` reaches the fund. */
  coverFee?: boolean;
  /** 'monthly' starts a subscription; absent = once. */
  frequency?: 'once' | 'monthly';
}

export async function call<T>(url: string, init: RequestInit = {}): Promise<ApiAnswer<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: { ...upstreamHeaders(), ...(init.headers as Record<string, string> | undefined) },
      signal: init.signal ?? AbortSignal.timeout(10000),
    });
  } catch (err) {
    throw new ApiUnavailable(`${new URL(url).origin} cannot be reached: ${String(err)}`);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  const detail =
    !res.ok && typeof body === 'object' && body !== null && 'detail' in body
      ? String((body as { detail: unknown }).detail)
      : null;
  return { status: res.status, ok: res.ok, body: body as T, detail };
}

const seg = encodeURIComponent;

export class Apis {
  constructor(private readonly config: WebConfig) {}

  /** Where a service is reached (for calls made as a signed-in person: app/person-api.ts). */
  baseUrl(service: 'payment' | 'ledger' | 'reward'): string {
    const urls = {
      payment: this.config.paymentUrl,
      ledger: this.config.ledgerUrl,
      reward: this.config.rewardUrl,
    };
    return urls[service];
  }

  /** The web's person-token signing key (PERSON_TOKEN_PRIVATE_KEY), if configured. */
  personTokenKey(): { key?: string; issuer: string } {
    return { key: this.config.signin.personTokenKey, issuer: this.config.signin.personTokenIssuer };
  }

  campaignTotals() {
    return call<CampaignTotals>(`${this.config.ledgerUrl}/campaign/totals`);
  }

  campaignStreamUrl(): string {
    return `${this.config.ledgerUrl}/campaign/totals/stream`;
  }

  pointToken(token: string) {
    return call<PointToken>(`${this.config.paymentUrl}/point-tokens/${seg(token)}`);
  }

  createDonation(idempotencyKey: string, body: NewDonation) {
    return call<Donation>(`${this.config.paymentUrl}/donations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    });
  }

  donation(id: string) {
    return call<Donation>(`${this.config.paymentUrl}/donations/${seg(id)}`);
  }

  /** The donor is back from PayPal: payment captures the approved order (once). */
  paypalReturn(id: string, secret: string) {
    return call<Donation>(`${this.config.paymentUrl}/donations/${seg(id)}/paypal-return`, {
      method: 'POST',
      headers: secretHeader(secret),
    });
  }

  donationStreamUrl(id: string): string {
    return `${this.config.paymentUrl}/donations/${seg(id)}/events`;
  }

  /** The donor's secret from the thank-you link goes along: only then is the code shown in full. */
  reward(donationId: string, secret: string) {
    return call<Reward>(`${this.config.rewardUrl}/rewards/by-donation/${seg(donationId)}`, {
      headers: secretHeader(secret),
    });
  }

  async rewardQr(donationId: string, secret: string): Promise<Response> {
    const url = new URL(
      `${this.config.rewardUrl}/rewards/by-donation/${seg(donationId)}/claim-qr.png`,
    );
    if (secret) url.searchParams.set('s', secret);
    try {
      return await fetch(url, {
        headers: { ...upstreamHeaders(), ...secretHeader(secret) },
        signal: AbortSignal.timeout(10000),
      });
    } catch (err) {
      throw new ApiUnavailable(`reward cannot be reached: ${String(err)}`);
    }
  }

  claimDigitalPack(code: string) {
    return call<{ downloadUrl: string }>(
      `${this.config.rewardUrl}/digital-packs/${seg(code)}/claim`,
      { method: 'POST' },
    );
  }
}

function secretHeader(secret: string): Record<string, string> {
  return secret ? { 'x-donor-secret': secret } : {};
}
