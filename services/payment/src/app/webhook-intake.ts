// The answer path of both webhooks after the signature check: store the delivery, answer. The
// insert is group-committed (DeliveryGroupWriter: the deliveries arriving while one insert is in
// flight are written together in one statement), and the WebhookApplier is nudged to apply what
// was stored. Up to `inlineSlots` requests may instead apply their delivery inside the request
// (the applier's own receive: stored already claimed, applied, the outcome answered) — off by
// default, because applying inside the request costs the answer rate under load and the nudged
// applier starts at once anyway (docs/ARCHITECTURE.md "Webhooks: store, answer, apply").
import type { Logger } from 'pino';
import type { DeliveryGroupWriter } from '../db/webhook-inbox-group';
import type { IncomingDelivery, WebhookApplier } from './webhook-applier';
import { DUPLICATE_DELIVERY, notStored, queuedAnswer, type WebhookAnswer } from './webhook-answer';

export interface WebhookIntakeOptions {
  applier: WebhookApplier;
  writer: DeliveryGroupWriter;
  logger: Logger;
  /** Requests that may apply their delivery at once, together (WEBHOOK_INLINE_SLOTS). */
  inlineSlots: number;
}

export class WebhookIntake {
  private inline = 0;

  constructor(private readonly options: WebhookIntakeOptions) {}

  /**
   * Stores a verified delivery and answers. Throws only before anything is stored
   * (PaymentError 'unavailable', 503 + Retry-After: the provider sends it again).
   */
  async receive(d: IncomingDelivery): Promise<WebhookAnswer> {
    const { applier, inlineSlots } = this.options;
    if (this.inline < inlineSlots) {
      this.inline++;
      try {
        return await applier.receive(d);
      } finally {
        this.inline--;
      }
    }
    const result = await this.store(d);
    if (result === 'duplicate') return DUPLICATE_DELIVERY;
    applier.nudge();
    return queuedAnswer();
  }

  private async store(d: IncomingDelivery) {
    try {
      return await this.options.writer.store(d);
    } catch (err) {
      throw notStored(this.options.logger, d, err);
    }
  }
}
