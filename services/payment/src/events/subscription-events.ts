import { createEvent, type AnyEvent, type Channel, type Provider } from '@bfi/events';
import type { Money } from '@bfi/money';
import type { CancelReason } from '../domain/subscription';
import { money } from '../db/repository';
import type { Subscription } from '../db/generated/client';
import { EVENT_SOURCE } from './payment-events';

const amountOf = (s: Subscription): Money => money(s.amountMinor, s.currency);
const opts = (s: Subscription) => ({ source: EVENT_SOURCE, subject: s.id });

export function subscriptionStarted(s: Subscription, at: Date): AnyEvent {
  return createEvent(
    'payment.subscription-started.v1',
    {
      subscriptionId: s.id,
      provider: s.provider as Provider,
      fund: s.fund,
      amount: amountOf(s),
      interval: 'month',
      channel: s.channel as Channel,
      officeId: s.officeId,
      startedAt: at.toISOString(),
    },
    opts(s),
  );
}

export function subscriptionAmountChanged(s: Subscription, previous: Money, at: Date): AnyEvent {
  return createEvent(
    'payment.subscription-amount-changed.v1',
    {
      subscriptionId: s.id,
      provider: s.provider as Provider,
      fund: s.fund,
      amount: amountOf(s),
      previousAmount: previous,
      occurredAt: at.toISOString(),
    },
    opts(s),
  );
}

export function subscriptionCancelled(s: Subscription, reason: CancelReason, at: Date): AnyEvent {
  return createEvent(
    'payment.subscription-cancelled.v1',
    {
      subscriptionId: s.id,
      provider: s.provider as Provider,
      fund: s.fund,
      amount: amountOf(s),
      reason,
      occurredAt: at.toISOString(),
    },
    opts(s),
  );
}
