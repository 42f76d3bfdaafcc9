// Throughput figures of the reward service on real Kafka + PostgreSQL (prints, asserts nothing).
//   npm run bench -w @bfi/reward            (BENCH_N=2000 for more donations)
import { eventually } from '@bfi/testing';
import {
  arrange,
  donationPosted,
  OFFICE_A,
  OFFICE_PHYSICAL_RULE,
  openWorld,
  type World,
} from '../test/harness';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const N = Number(process.env.BENCH_N ?? 1000);
const CONCURRENCY = 20;

async function pool<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

function report(name: string, count: number, ms: number, extra = ''): void {
  console.log(
    `${name.padEnd(48)} ${String(count).padStart(6)} in ${(ms / 1000).toFixed(2).padStart(6)} s = ${((count * 1000) / ms).toFixed(0).padStart(6)} /s ${extra}`,
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function decisionsThroughBroker(world: World): Promise<void> {
  const events = Array.from({ length: N }, () => donationPosted({ officeId: OFFICE_A }));
  const start = Date.now();
  await world.publish(events);
  await eventually(async () => {
    const n = await world.db.decision.count({
      where: { donationId: { in: events.map((e) => e.data.donationId) } },
    });
    if (n < N) throw new Error(`${n}/${N}`);
  }, 600_000);
  report(
    'decisions via Kafka (publish → inbox → decision)',
    N,
    Date.now() - start,
    '(one consumer, per-partition order)',
  );
}

async function decisionsDirect(world: World): Promise<void> {
  const events = Array.from({ length: N }, () =>
    donationPosted({ officeId: 'bench-office-direct' }),
  );
  const start = Date.now();
  await pool(events, CONCURRENCY, (e) => world.applyDirect(e));
  report(
    `decisions, ${CONCURRENCY} concurrent inbox transactions`,
    N,
    Date.now() - start,
    '(stock contention on one office)',
  );
}

async function redemptions(world: World): Promise<void> {
  const rewards = await world.db.reward.findMany({
    where: { officeId: OFFICE_A, status: 'available' },
    select: { claimCode: true },
  });
  const latencies: number[] = [];
  const start = Date.now();
  let ok = 0;
  await pool(rewards, CONCURRENCY, async (r) => {
    const t = performance.now();
    const res = await world.call('POST', `/offices/${OFFICE_A}/redemptions`, world.keys.staffA, {
      code: r.claimCode,
    });
    latencies.push(performance.now() - t);
    if (res.status === 200) ok++;
  });
  report(
    `redemptions over HTTP, ${CONCURRENCY} concurrent`,
    ok,
    Date.now() - start,
    `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
}

async function contention(world: World): Promise<void> {
  const posted = donationPosted({ officeId: OFFICE_A });
  await world.applyDirect(posted);
  const reward = await world.db.reward.findUniqueOrThrow({
    where: { donationId: posted.data.donationId },
  });
  const start = Date.now();
  const results = await Promise.all(
    Array.from({ length: 50 }, () =>
      world.call('POST', `/offices/${OFFICE_A}/redemptions`, world.keys.staffA, {
        code: reward.claimCode,
      }),
    ),
  );
  const ok = results.filter((r) => r.status === 200).length;
  const conflicts = results.filter((r) => r.status === 409).length;
  console.log(
    `50 concurrent redemptions of one code: ${ok} × 200, ${conflicts} × 409, all answered in ${Date.now() - start} ms`,
  );
}

async function main(): Promise<void> {
  const world = await openWorld({ pool: CONCURRENCY });
  try {
    await arrange(world, { rules: [OFFICE_PHYSICAL_RULE], stockA: N + 100 });
    await world.db.$executeRawUnsafe(
      "INSERT INTO office_stock (office_id, available) VALUES ('bench-office-direct', 100)",
    );
    console.log(`reward bench: N=${N}, node ${process.version}`);
    await decisionsThroughBroker(world);
    await decisionsDirect(world);
    await redemptions(world);
    await contention(world);
  } finally {
    await world.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
