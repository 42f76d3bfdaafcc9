// The donate form as the server reads it: the same rules as the page's script and the payment
// API (amounts typed the way people type money, PayPal not for BYN, an e-mail if any).
import { randomUUID } from 'node:crypto';
import { MoneyError, parseMoney } from '@bfi/money';
import { z } from 'zod';
import type { T } from '../i18n';
import type { DonateForm, FieldErrors } from '../views/donate';
import type { NewDonation, PointToken } from './api';
import { CURRENCIES, PAYPAL_CURRENCIES, PRESETS, type DonateCurrency } from './present';

/** The payment API's maximum (MAX_DONATION_MINOR default): refused here before a round trip. */
const MAX_MINOR = 100_000_000;

const text = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .default('')
    .transform((s) => s.trim());

const FormBody = z.object({
  currency: z.enum(CURRENCIES).catch('BYN'),
  amount: text(40),
  provider: z.enum(['stripe', 'paypal']).catch('stripe'),
  donorName: text(200),
  anonymous: z.string().optional(),
  email: text(254),
  idem: z
    .string()
    .min(8)
    .max(200)
    .catch(() => randomUUID()),
  point: text(2000),
  coverFee: z.string().optional(),
  frequency: z.enum(['once', 'monthly']).catch('once'),
  preset_BYN: z.string().optional(),
  preset_USD: z.string().optional(),
  preset_EUR: z.string().optional(),
});

const Email = z.email();

export function blankForm(currency: DonateCurrency = 'BYN', pointToken = ''): DonateForm {
  return {
    currency,
    preset: PRESETS[currency][1]!,
    custom: '',
    provider: 'stripe',
    donorName: '',
    anonymous: false,
    email: '',
    idem: randomUUID(),
    pointToken,
    frequency: 'once',
  };
}

export type ParsedForm =
  | { ok: true; form: DonateForm; request: NewDonation }
  | { ok: false; form: DonateForm; errors: FieldErrors };

function presetOf(body: z.infer<typeof FormBody>, currency: DonateCurrency): number | null {
  const raw = body[`preset_${currency}`];
  const minor = Number(raw);
  return PRESETS[currency].includes(minor) ? minor : null;
}

export function readDonateForm(raw: unknown, point: PointToken | null, t: T): ParsedForm {
  const body = FormBody.parse(raw ?? {});
  const fixed = point?.amount ?? null;
  const currency = (fixed?.currency ?? body.currency) as DonateCurrency;
  const form: DonateForm = {
    currency,
    preset: presetOf(body, currency),
    custom: body.amount,
    provider: body.provider,
    donorName: body.donorName,
    anonymous: body.anonymous === '1',
    email: body.email,
    idem: body.idem,
    pointToken: point ? body.point : '',
    coverFee: body.coverFee === '1',
    frequency: point ? 'once' : body.frequency,
  };
  const errors: FieldErrors = {};
  let minor = fixed?.minor ?? form.preset;
  if (!fixed && form.custom) {
    try {
      minor = parseMoney(form.custom, currency, { minMinor: 1, maxMinor: MAX_MINOR }).minor;
    } catch (err) {
      if (!(err instanceof MoneyError)) throw err;
      errors.amount =
        err.code === 'AMOUNT_TOO_LARGE' ? t('donate.errors.amountMax') : t('donate.errors.amount');
    }
  }
  if (minor === null && !errors.amount) errors.amount = t('donate.errors.amount');
  if (form.email && !Email.safeParse(form.email).success) errors.email = t('donate.errors.email');
  if (form.provider === 'paypal' && !PAYPAL_CURRENCIES.includes(currency))
    errors.provider = t('donate.paypalNoByn');
  // Each installment is charged what the subscription says; covering the fee would need the
  // estimate in every installment, which payment does not do yet: refused, not dropped.
  if (form.coverFee && form.frequency === 'monthly') errors.coverFee = t('coverFee.notMonthly');
  if (Object.keys(errors).length > 0 || minor === null) return { ok: false, form, errors };
  return {
    ok: true,
    form,
    request: {
      amount: minor,
      currency,
      provider: form.provider,
      ...(form.anonymous || !form.donorName ? {} : { donorName: form.donorName }),
      ...(form.email ? { donorEmail: form.email } : {}),
      ...(point && form.pointToken ? { pointToken: form.pointToken } : {}),
      ...(form.coverFee ? { coverFee: true } : {}),
      ...frequencyOf(form),
    },
  };
}

/** Only a monthly gift says so: a one-off request stays what payment has always received. */
function frequencyOf(form: DonateForm): Pick<NewDonation, 'frequency'> {
  return form.frequency === 'monthly' ? { frequency: 'monthly' } : {};
}
