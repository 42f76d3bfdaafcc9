// Pipeline path: signed Stripe webhook → payment → Kafka → ledger → Kafka → reward decided, the
// three services as separate processes (the e2e spawner) on the shared Kafka and PostgreSQL.
// Phases, each with its own fresh gifts: capacity (every event once, 10 at a time, as fast as
// answered), a steady rate for latency, and an overload at twice the capacity measured. The
// capacity phase also reads each process's db_statements_total (GET /metrics) before and after,
// and with --profile keeps the samples of each process's CPU profile taken during it.
import fs from 'node:fs';
import { offer, percentile, prepareGifts, waitDecided, withDb, type Gift } from './load';
import { CounterMeter, per } from './metrics';
import { CpuMeter } from './proc';
import { profileDir, profilingEnv, readProfiles, summarize, toggleProfiler } from './profile';
import { sharedInfra, Suite } from './spawner';
import type { Figure } from './table';
import { bareExpressRate, CONNECTIONS, distinctEvents } from './webhook';

export interface Scale {
  quick: boolean;
  /** Profile the pipeline's service processes (cpu-profile.mjs) and print their top functions. */
  profile?: boolean;
  log: (line: string) => void;
}

const SERVICES = ['payment', 'pledge-ledger', 'reward'] as const;

function pidsOf(suite: Suite): Record<string, number | undefined> {
  return {
    payment: suite.payment.pid,
    'pledge-ledger': suite.ledger.pid,
    reward: suite.reward.pid,
    'bench driver (fake Stripe, load)': process.pid,
  };
}

function urlsOf(suite: Suite): Record<string, string> {
  return {
    payment: suite.payment.url,
    'pledge-ledger': suite.ledger.url,
    reward: suite.reward.url,
  };
}

interface Capacity {
  figures: Figure[];
  rate: number;
  /** The phase on the wall clock: the first webhook sent to the last gift decided. */
  window: { from: number; to: number };
}

/** Statements each process sent to PostgreSQL during the capacity phase, per delivery/donation. */
function statementFigures(
  statements: Record<string, number | null>,
  deliveries: number,
  decided: number,
): Figure[] {
  const base = { unit: 'statements', baseline: null, baselineValue: null };
  return [
    {
      ...base,
      path: 'webhook: statements per delivery',
      unit: 'statements/delivery',
      value: per(statements.payment, deliveries),
      goal: 'printed',
      note: `payment's db_statements_total over the capacity phase (answers, outbox relay, work after the answer) ÷ ${deliveries} deliveries`,
    },
    ...SERVICES.map((name): Figure => ({
      ...base,
      path: `pipeline: statements per donation, ${name}`,
      unit: 'statements/donation',
      value: per(statements[name], decided),
      goal: 'printed',
      note: `db_statements_total of ${name} over the capacity phase ÷ ${decided} gifts decided`,
    })),
  ];
}

/** Phase 1: the webhook figure against bare express, and the pipeline's sustained rate. */
async function capacity(suite: Suite, scale: Scale): Promise<Capacity> {
  const n = scale.quick ? 300 : 3000;
  scale.log(`pipeline: preparing ${n} paid checkouts for the capacity phase`);
  const gifts = await prepareGifts(suite, n);
  const bare = await bareExpressRate(suite, gifts[0]!, scale.quick ? 5 : 10);
  const meter = new CpuMeter(pidsOf(suite));
  const statements = await CounterMeter.begin(urlsOf(suite));
  const services = SERVICES.map((name) => suite.services[name].pid);
  if (scale.profile) toggleProfiler(services);
  const run = await distinctEvents(suite, gifts);
  const ids = gifts.map((g) => g.donationId);
  const decided = await waitDecided(suite, ids, scale.quick ? 120_000 : 300_000);
  if (scale.profile) toggleProfiler(services);
  const cpu = meter.spent();
  const spent = await statements.delta();
  if (decided.size === 0) throw new Error('no gift reached a reward decision');
  const last = Math.max(...decided.values());
  const rate = decided.size / ((last - run.startedAt) / 1000);
  const answered = run.answered2xx / ((run.endedAt - run.startedAt) / 1000);
  const phase = `${((last - run.startedAt) / 1000).toFixed(1)} s`;
  const figures: Figure[] = [
    {
      path: 'pipeline: sustained',
      value: rate,
      unit: 'donations/s',
      baseline: null,
      baselineValue: null,
      goal: '≥ 1,000 donations/s for 60 s',
      note: `${decided.size}/${n} gifts decided over ${phase}, webhooks ${CONNECTIONS} at a time`,
    },
    {
      path: 'webhook: distinct signed events',
      value: answered,
      unit: 'req/s',
      baseline: 'bare express, same setup',
      baselineValue: bare,
      goal: '≥ 40 % of bare express',
      note: `${run.answered2xx} answered 2xx, ${run.other} not (delivered again after the phase)`,
    },
    ...statementFigures(spent, run.deliveries, decided.size),
    ...Object.entries(cpu).map(([name, ms]): Figure => ({
      path: `pipeline: CPU ${name}`,
      value: decided.size ? ms / decided.size : null,
      unit: 'ms/donation',
      baseline: null,
      baselineValue: null,
      goal: 'printed',
    })),
  ];
  return { figures, rate, window: { from: run.startedAt, to: last } };
}

/** Phase 2: latency from the webhook's send to reward's decision at a steady offered rate. */
async function steady(suite: Suite, scale: Scale, capacityRate: number): Promise<Figure[]> {
  // The goal's rate; a pipeline slower than that is offered its capacity instead (the note says).
  const rate = Math.max(1, Math.round(Math.min(200, capacityRate)));
  const seconds = scale.quick ? 15 : 60;
  const gifts = await prepareGifts(suite, rate * seconds);
  scale.log(`pipeline: steady ${rate}/s for ${seconds} s`);
  const offered = await offer(suite, gifts, rate);
  const ids = gifts.map((g) => g.donationId);
  const decided = await waitDecided(suite, ids, 120_000);
  const latencies = ids
    .filter((id) => decided.has(id))
    .map((id) => decided.get(id)! - offered.sentAt.get(id)!);
  const why =
    rate < 200
      ? `the capacity measured (${capacityRate.toFixed(1)}/s), below the goal's 200/s`
      : "the goal's rate";
  const note = `${rate}/s offered open-loop for ${seconds} s (${why}); ${decided.size}/${ids.length} decided`;
  const at = (p: number, goal: string): Figure => ({
    path: `pipeline: p${p} latency`,
    value: percentile(latencies, p),
    unit: 'ms',
    baseline: null,
    baselineValue: null,
    goal,
    note,
  });
  return [at(50, '< 50 ms at 200/s'), at(99, '< 250 ms at 200/s')];
}

/**
 * Gifts charged at the fake and not succeeded in payment; `queued`: of those, the ones whose
 * webhook is stored in payment's inbox and not applied yet (answered 2xx, applied later).
 */
async function unrecorded(suite: Suite, gifts: Gift[]): Promise<{ n: number; queued: number }> {
  return withDb(suite.databases.payment, async (c) => {
    const { rows } = await c.query<{ n: string; queued: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM webhook_delivery w WHERE w.provider = 'stripe'
           AND w.provider_event_id = g.event_id AND w.state = 'received')) AS queued
       FROM donation d JOIN unnest($1::uuid[], $2::text[]) AS g(id, event_id) ON g.id = d.id
       WHERE d.status <> 'succeeded'`,
      [gifts.map((g) => g.donationId), gifts.map((g) => g.event.id)],
    );
    return { n: Number(rows[0]!.n), queued: Number(rows[0]!.queued) };
  });
}

/** Phase 3: twice the capacity offered; non-2xx redelivered as Stripe does until the drain ends. */
async function overload(suite: Suite, scale: Scale, capacityRate: number): Promise<Figure[]> {
  const rate = Math.max(2, Math.round(2 * capacityRate));
  const seconds = scale.quick ? 15 : 60;
  const drainMs = scale.quick ? 30_000 : 90_000;
  const gifts = await prepareGifts(suite, rate * seconds);
  scale.log(`overload: ${rate}/s offered for ${seconds} s, then a ${drainMs / 1000} s drain`);
  const until = Date.now() + seconds * 1000 + drainMs;
  const offered = await offer(suite, gifts, rate, until);
  const ids = gifts.map((g) => g.donationId);
  // The drain: redeliveries may be over sooner, the pipeline may still be catching up.
  const decided = await waitDecided(suite, ids, Math.max(0, until - Date.now()));
  const inPhase = [...decided.values()].filter((t) => t <= offered.endedAt).length;
  const served = inPhase / ((offered.endedAt - offered.startedAt) / 1000);
  const missing = await unrecorded(suite, gifts);
  const classes = Object.entries(offered.classes)
    .sort()
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const errors = offered.deliveries - (offered.classes['2xx'] ?? 0);
  return [
    {
      path: 'overload: served',
      value: served,
      unit: 'donations/s',
      baseline: 'capacity (pipeline: sustained)',
      baselineValue: capacityRate,
      goal: '≥ 90 % of capacity',
      note: `${rate}/s offered for ${seconds} s; decided in the phase ${inPhase}, after the drain ${decided.size}/${ids.length}`,
    },
    {
      path: 'overload: non-2xx answers',
      value: errors,
      unit: 'answers',
      baseline: null,
      baselineValue: null,
      goal: '0 5xx after a provider call',
      note: `${offered.deliveries} deliveries (redeliveries included): ${classes}; 5xx after the service called Stripe about that payment: ${offered.fiveXxAfterProviderCall}`,
    },
    {
      path: 'overload: charged-but-unrecorded',
      value: missing.n,
      unit: 'donations',
      baseline: null,
      baselineValue: null,
      goal: '0',
      note: `charged at the fake Stripe, not succeeded in payment ${drainMs / 1000} s after the phase (non-2xx redelivered meanwhile); of them stored in payment's inbox, not applied yet: ${missing.queued}`,
    },
  ];
}

/** The profile of each service over the capacity phase, attached to its CPU figure. */
function attachProfiles(
  dir: string,
  pids: Record<string, number | undefined>,
  cap: Capacity,
  log: Scale['log'],
): void {
  const profiles = readProfiles(dir);
  for (const name of SERVICES) {
    const written = pids[name] === undefined ? undefined : profiles.get(pids[name]);
    const figure = cap.figures.find((f) => f.path === `pipeline: CPU ${name}`);
    if (!written || !figure) {
      log(`pipeline: no CPU profile from ${name} (it did not exit gracefully)`);
      continue;
    }
    figure.profile = summarize(written.profile, written.wallAtStart, cap.window);
  }
}

/**
 * The three services, started again (up to 3 times) when one exits before it is ready: on a
 * loaded machine a boot-time transaction can outlive its time limit; the log says so.
 */
async function startSuite(
  infra: ReturnType<typeof sharedInfra>,
  profiles: string | null,
  log: Scale['log'],
): Promise<Suite> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await Suite.start({
        scenario: 'bench',
        infra,
        autoWebhooks: false,
        ...(profiles ? { env: profilingEnv(profiles) } : {}),
      });
    } catch (err) {
      if (attempt >= 3) throw err;
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      log(`pipeline: start ${attempt} failed (${why}); starting again`);
    }
  }
}

export async function benchPipeline(scale: Scale): Promise<Figure[]> {
  const infra = sharedInfra();
  const profiles = scale.profile ? profileDir() : null;
  const suite = await startSuite(infra, profiles, scale.log);
  const pids = pidsOf(suite);
  let cap: Capacity | undefined;
  try {
    scale.log(`pipeline: ${SERVICES.join(', ')} up (pids ${JSON.stringify(pids)})`);
    cap = await capacity(suite, scale);
    const figures = [...cap.figures, ...(await steady(suite, scale, cap.rate))];
    figures.push(...(await overload(suite, scale, cap.rate)));
    return figures;
  } finally {
    // A graceful stop: each profiled process writes its profile as it exits.
    await suite.stop();
    await dropDatabases(infra.pg.adminUrl, Object.values(suite.databases));
    if (profiles) {
      if (cap) attachProfiles(profiles, pids, cap, scale.log);
      fs.rmSync(profiles, { recursive: true, force: true });
    }
  }
}

export async function dropDatabases(adminUrl: string, urls: string[]): Promise<void> {
  await withDb(adminUrl, async (c) => {
    for (const url of urls) {
      const name = new URL(url).pathname.slice(1);
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
}
