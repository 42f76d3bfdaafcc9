// Group commit of the inbox insert. A webhook answers 2xx only once its delivery is committed, so
// each request used to pay a whole transaction (a round trip and a WAL flush) on its own pool
// connection. Here the deliveries that arrive while an insert is in flight wait for it and are
// then written together in ONE multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING`: one
// statement and one commit for the group, and each request is still answered only after ITS row
// is committed. A failed insert rejects every request of the group, before anything else
// happened for any of them (the webhook then answers 503 and the provider sends it again).
import type { Db } from './repository';

export interface NewDelivery {
  provider: string;
  eventId: string;
  type: string;
  rawBody: string;
}

/** `stored`: this request's row was written; `duplicate`: that provider event id was stored before. */
export type StoreResult = 'stored' | 'duplicate';

interface Waiting {
  delivery: NewDelivery;
  resolve: (r: StoreResult) => void;
  reject: (err: unknown) => void;
}

export interface GroupOptions {
  /** Inserts in flight at once (each its own group); the rest of the arrivals wait for one. */
  maxInFlight?: number;
  /** Rows in one statement at most (the raw bodies travel in it). */
  maxGroup?: number;
}

const keyOf = (d: NewDelivery) => `${d.provider}\u0000${d.eventId}`;

export class DeliveryGroupWriter {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxGroup: number;

  constructor(
    private readonly db: Db,
    options: GroupOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 1;
    this.maxGroup = options.maxGroup ?? 200;
  }

  /** Resolves once the delivery is committed (or known stored before); rejects if not stored. */
  store(delivery: NewDelivery): Promise<StoreResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, resolve, reject });
      this.flush();
    });
  }

  /** Deliveries queued for the next group (a gauge for the shedder and the tests). */
  get backlog(): number {
    return this.queue.length;
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroup);
      this.inFlight++;
      void this.write(group).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async write(group: Waiting[]): Promise<void> {
    // A redelivery inside the group (Stripe retries while the first copy waits) is sent once;
    // every copy after the first answers duplicate, after the commit like the rest.
    const first = new Map<string, NewDelivery>();
    for (const w of group)
      if (!first.has(keyOf(w.delivery))) first.set(keyOf(w.delivery), w.delivery);
    let inserted: Set<string>;
    try {
      inserted = await insertGroup(this.db, [...first.values()]);
    } catch (err) {
      for (const w of group) w.reject(err);
      return;
    }
    for (const w of group) {
      const key = keyOf(w.delivery);
      // Only the first copy of a key may claim the inserted row.
      const mine = inserted.has(key) && first.get(key) === w.delivery;
      if (mine) inserted.delete(key);
      w.resolve(mine ? 'stored' : 'duplicate');
    }
  }
}

/** One statement for the group; the keys of the rows written (the others were stored before). */
async function insertGroup(db: Db, rows: NewDelivery[]): Promise<Set<string>> {
  const written = await db.$queryRawUnsafe<{ provider: string; provider_event_id: string }[]>(
    `INSERT INTO webhook_delivery (id, provider, provider_event_id, type, outcome, raw_body, state)
     SELECT gen_random_uuid(), d.provider, d.event_id, d.type, 'received', d.raw_body, 'received'
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       AS d(provider, event_id, type, raw_body)
     ON CONFLICT (provider, provider_event_id) DO NOTHING
     RETURNING provider, provider_event_id`,
    rows.map((r) => r.provider),
    rows.map((r) => r.eventId),
    rows.map((r) => r.type),
    rows.map((r) => r.rawBody),
  );
  return new Set(written.map((r) => `${r.provider}\u0000${r.provider_event_id}`));
}
