import { EventEmitter } from 'node:events';
import type { DonationView } from './view';

/**
 * Fan-out of donation status changes to this replica's SSE streams (thank-you page, office
 * console). Fed twice: at once after a commit on this replica, and by the DonationChangeFeed
 * with what any replica committed — so a view is sent only when it differs from the last one
 * sent for that donation.
 */
export class StatusNotifier {
  private readonly emitter = new EventEmitter();
  /** Donation id → the last view sent (JSON) and when that change happened. */
  private readonly sent = new Map<string, { json: string; updatedAt: number }>();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(view: DonationView): void {
    const json = JSON.stringify(view);
    const before = this.sent.get(view.id);
    if (before && (before.json === json || before.updatedAt > Date.parse(view.updatedAt))) return;
    this.sent.set(view.id, { json, updatedAt: Date.parse(view.updatedAt) });
    this.emitter.emit(`donation:${view.id}`, view);
    if (view.officeId) this.emitter.emit(`office:${view.officeId}`, view);
  }

  /** Whether any stream listens (the change feed reads nothing otherwise). */
  hasListeners(): boolean {
    return this.emitter.eventNames().length > 0;
  }

  /** Forgets views of changes older than `before`: the feed will not bring them again. */
  forget(before: Date): void {
    const limit = before.getTime();
    for (const [id, last] of this.sent) if (last.updatedAt < limit) this.sent.delete(id);
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
