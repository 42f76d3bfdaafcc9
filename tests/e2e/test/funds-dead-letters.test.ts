// Funds and dead letters across the three services, each its own process on real Kafka and
// PostgreSQL: payment takes gifts only for funds the ledger announced open (refused before the
// fake Stripe sees anything), and a gift the ledger had to dead-letter is booked exactly once by a
// finance replay once its fund exists.
import { randomUUID } from 'node:crypto';
import { createEvent, toKafkaRecord, TOPICS } from '@bfi/events';
import { eventually } from '@bfi/testing';
import { call, expectStatus, infraFromEnv, Suite } from '../src';

let suite: Suite;

beforeAll(async () => {
  suite = await Suite.start({ scenario: 'funds-dlq', infra: infraFromEnv(), stockPerOffice: 1 });
});

afterAll(async () => {
  await suite?.stop();
});

const give = (fund: string) =>
  call<{ id: string; status: string; code?: string; detail?: string }>(
    `${suite.payment.url}/donations`,
    {
      body: { amount: 2500, currency: 'BYN', provider: 'stripe', fund },
      headers: { 'idempotency-key': randomUUID() },
    },
  );

const finance = () => suite.keys.finance;

test('a gift to an unknown fund is refused before the provider sees anything', async () => {
  const sessions = suite.stripe.sessions.size;
  const res = await give('no-such-fund');
  expect(res.status).toBe(422);
  expect(res.body.code).toBe('fund-unknown');
  expect(res.body.detail).toMatch(/There is no fund "no-such-fund" to give to\./);
  expect(suite.stripe.sessions.size).toBe(sessions);
});

test('a fund finance creates on the ledger takes gifts at payment about a second later; closed, it refuses them', async () => {
  await expectStatus(201, `${suite.ledger.url}/funds`, {
    key: finance(),
    body: { slug: 'e2e-new-fund', name: 'E2E new fund', restricted: true, feePolicy: 'fund' },
  });
  const accepted = await eventually(async () => {
    const res = await give('e2e-new-fund');
    expect(res.status).toBe(201);
    return res;
  }, 10000);
  expect(accepted.body.status).toBe('pending');

  await expectStatus(200, `${suite.ledger.url}/funds/e2e-new-fund`, {
    method: 'PATCH',
    key: finance(),
    body: { status: 'closed' },
  });
  // Gifts taken until payment has the closing are fine (the ledger books them); after, none.
  await eventually(async () => expect((await give('e2e-new-fund')).status).toBe(422), 10000);
  const sessions = suite.stripe.sessions.size;
  const refused = await give('e2e-new-fund');
  expect(refused.status).toBe(422);
  expect(refused.body.code).toBe('fund-closed');
  expect(refused.body.detail).toMatch(/"E2E new fund" no longer takes gifts/);
  expect(suite.stripe.sessions.size).toBe(sessions);
});

interface Letter {
  id: string;
  reason: string;
  event: { id: string };
}
interface Entry {
  donationId: string | null;
  kind: string;
}

test('a dead-lettered gift is booked exactly once by a replay after its fund is created', async () => {
  const donationId = randomUUID();
  const event = createEvent(
    'payment.succeeded.v1',
    {
      donationId,
      provider: 'stripe',
      providerRefs: { chargeId: `ch_${donationId.slice(0, 8)}` },
      channel: 'online',
      officeId: null,
      donationPointId: null,
      fund: 'e2e-late-fund',
      gross: { minor: 3100, currency: 'BYN' },
      fee: null,
      occurredAt: new Date().toISOString(),
    },
    { source: '/services/payment' },
  );
  // Charged before its fund existed (say, by an older payment version): the ledger refuses it.
  await suite.transport!.send([
    { ...toKafkaRecord(event), topic: suite.namespace + TOPICS.payment },
  ]);
  const letter = await eventually(async () => {
    const { deadLetters } = await expectStatus<{ deadLetters: Letter[] }>(
      200,
      `${suite.ledger.url}/dead-letters`,
      { key: finance() },
    );
    const found = deadLetters.find((l) => l.event.id === event.id);
    expect(found?.reason).toBe('refused');
    return found!;
  }, 30000);

  await expectStatus(201, `${suite.ledger.url}/funds`, {
    key: finance(),
    body: { slug: 'e2e-late-fund', name: 'E2E late fund', restricted: true, feePolicy: 'fund' },
  });
  const replay = () =>
    expectStatus(200, `${suite.ledger.url}/dead-letters/replay`, {
      key: finance(),
      body: { id: letter.id },
    });
  await replay();
  const journal = async () =>
    (
      await expectStatus<{ entries: Entry[] }>(
        200,
        `${suite.ledger.url}/journal?fund=e2e-late-fund&limit=500`,
        { key: finance() },
      )
    ).entries.filter((e) => e.donationId === donationId);
  const totals = async () =>
    (
      await expectStatus<{ rows: { gross: number; count: number }[] }>(
        200,
        `${suite.ledger.url}/funds/e2e-late-fund/totals`,
        { key: finance() },
      )
    ).rows;
  await eventually(async () => expect(await journal()).toHaveLength(1), 30000);
  expect(await totals()).toEqual([expect.objectContaining({ gross: 3100, count: 1 })]);
  // The reward service, a consumer further down, unlocked one reward for it.
  await eventually(async () => {
    const r = await call(`${suite.reward.url}/rewards/by-donation/${donationId}`);
    expect(r.status).toBe(200);
  }, 30000);

  // Replayed again (this letter, then all): nothing changes anywhere.
  await replay();
  await expectStatus(200, `${suite.ledger.url}/dead-letters/replay`, {
    key: finance(),
    body: { all: true },
  });
  await expectStatus(201, `${suite.ledger.url}/funds`, {
    key: finance(),
    body: { slug: 'e2e-marker', name: 'E2E marker', restricted: true, feePolicy: 'fund' },
  });
  const marker = randomUUID();
  await suite.transport!.send([
    {
      ...toKafkaRecord(
        createEvent(
          'payment.succeeded.v1',
          { ...event.data, donationId: marker, fund: 'e2e-marker' },
          { source: '/services/payment' },
        ),
      ),
      topic: suite.namespace + TOPICS.payment,
    },
  ]);
  await eventually(async () => {
    const r = await call(`${suite.reward.url}/rewards/by-donation/${marker}`);
    expect(r.status).toBe(200);
  }, 30000);
  expect(await journal()).toHaveLength(1);
  expect(await totals()).toEqual([expect.objectContaining({ gross: 3100, count: 1 })]);
});
