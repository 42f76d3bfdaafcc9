import { EventEmitter } from 'node:events';
import type { DonationView } from './view';

/**
 * In-process fan-out of donation status changes to SSE streams (thank-you page, office
 * console). Fed after each commit; a second replica would need a shared channel (the
 * payment.* topic) — documented in the README.
 */
export class StatusNotifier {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(view: DonationView): void {
    this.emitter.emit(`donation:${view.id}`, view);
    if (view.officeId) this.emitter.emit(`office:${view.officeId}`, view);
  }

  /** Returns the unsubscribe function. */
  onDonation(id: string, listener: (view: DonationView) => void): () => void {
    return this.on(`donation:${id}`, listener);
  }

  onOffice(officeId: string, listener: (view: DonationView) => void): () => void {
    return this.on(`office:${officeId}`, listener);
  }

  private on(name: string, listener: (view: DonationView) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
