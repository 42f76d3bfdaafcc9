// Fault-injection helpers: how far behind a consumer is, what a process saw (its /metrics),
// and a precise way to stop the payment outbox relay between "sent to Kafka" and "marked sent".
import pg from 'pg';
import { withClient } from './postgres';
import type { ServiceProcess } from '@bfi/suite';
import type { Suite } from './suite';

/** Events already published for a consumer but not yet in its inbox. */
export async function backlogOf(
  suite: Suite,
  consumer: 'pledge-ledger' | 'reward',
): Promise<number> {
  const [source, types] =
    consumer === 'pledge-ledger'
      ? [
          suite.databases.payment,
          [
            'payment.succeeded.v1',
            'payment.refunded.v1',
            'payment.disputed.v1',
            'payment.dispute-closed.v1',
          ],
        ]
      : [
          suite.databases['pledge-ledger'],
          ['ledger.donation-posted.v1', 'ledger.donation-reversed.v1'],
        ];
  const published = await withClient(source, async (c) =>
    (
      await c.query<{ id: string }>(
        'SELECT id::text FROM outbox_event WHERE sent_at IS NOT NULL AND type = ANY($1)',
        [types],
      )
    ).rows.map((r) => r.id),
  );
  const consumed = await withClient(
    suite.databases[consumer],
    async (c) =>
      new Set(
        (await c.query<{ id: string }>('SELECT event_id::text AS id FROM inbox_event')).rows.map(
          (r) => r.id,
        ),
      ),
  );
  return published.filter((id) => !consumed.has(id)).length;
}

/** Sum of a Prometheus counter on a service's /metrics, filtered by label text (0 if down). */
export async function scrapeCounter(
  service: ServiceProcess,
  metric: string,
  labelFilter = '',
): Promise<number> {
  try {
    const text = await (
      await fetch(`${service.url}/metrics`, { signal: AbortSignal.timeout(5000) })
    ).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith(`${metric}{`) && l.includes(labelFilter))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  } catch {
    return 0;
  }
}

const HOLD_KEY = 4242;

/**
 * Instruments the payment database of this test run (a throw-away database) so the test can
 * hold the outbox relay exactly between send and mark: a statement trigger on UPDATE of
 * outbox_event — only the relay's "mark sent" updates it — takes a shared advisory lock that
 * the test holds exclusively while it wants the relay stopped there. The relay runs
 * SELECT → publisher.send (awaits the broker's ack) → UPDATE, so a relay waiting on that lock
 * has sent its batch and not marked it.
 */
export class RelayHold {
  private client?: pg.Client;

  constructor(private readonly url: string) {}

  async install(): Promise<void> {
    await withClient(this.url, async (c) => {
      await c.query(`CREATE OR REPLACE FUNCTION e2e_hold_outbox_mark() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_advisory_xact_lock_shared(${HOLD_KEY}); RETURN NULL; END $$`);
      await c.query(`CREATE TRIGGER e2e_hold_outbox_mark BEFORE UPDATE ON outbox_event
        FOR EACH STATEMENT EXECUTE FUNCTION e2e_hold_outbox_mark()`);
    });
  }

  async uninstall(): Promise<void> {
    await withClient(this.url, async (c) => {
      await c.query('DROP TRIGGER IF EXISTS e2e_hold_outbox_mark ON outbox_event');
      await c.query('DROP FUNCTION IF EXISTS e2e_hold_outbox_mark()');
    });
  }

  /** From now on the next "mark sent" waits. */
  async hold(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.url });
    await this.client.connect();
    await this.client.query('SELECT pg_advisory_lock($1)', [HOLD_KEY]);
  }

  /** Waits until a relay is stuck at its mark; returns the ids of the unsent rows then. */
  async waitForStuckRelay(timeoutMs = 60_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const waiting = await this.client!.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted",
        [HOLD_KEY],
      );
      if (Number(waiting.rows[0]?.n) > 0) {
        const rows = await this.client!.query<{ id: string }>(
          'SELECT id::text FROM outbox_event WHERE sent_at IS NULL',
        );
        return rows.rows.map((r) => r.id);
      }
      if (Date.now() > deadline) throw new Error('no outbox relay reached its mark while held');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async release(): Promise<void> {
    await this.client?.query('SELECT pg_advisory_unlock($1)', [HOLD_KEY]).catch(() => undefined);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}

/** Polls until check() is true (or throws at the deadline with the message). */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
