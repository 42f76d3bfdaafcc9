// Monthly gifts: the rules table decides which installments earn a pack (default: the first).
import { randomUUID } from 'node:crypto';
import { eventually } from '@bfi/testing';
import { matchRule, type Rule } from '../src/domain';
import { arrange, donationPosted, ONLINE_DIGITAL_RULE, openWorld, type World } from './harness';

const recurrence = (subscriptionId: string, installment: number) => ({
  subscriptionId,
  installment,
  interval: 'month' as const,
});

describe('rule matching by installment (domain)', () => {
  const rule: Rule = {
    id: 'r1',
    campaign: 'c',
    channel: 'online',
    fund: null,
    kind: 'digital-sticker-pack',
    outOfStock: 'wait-for-stock',
    priority: 0,
    installmentsUpTo: 1,
    activeFrom: new Date('2025-01-01T00:00:00Z'),
    activeUntil: null,
    minimums: { BYN: 500 },
    createdAt: new Date('2025-01-01T00:00:00Z'),
  };
  const gift = (installment: number | null) => ({
    channel: 'online' as const,
    officeId: null,
    fund: 'specialist-training',
    gross: { minor: 1000, currency: 'BYN' },
    installment,
    postedAt: new Date('2026-06-01T00:00:00Z'),
  });

  it('the first installment and a one-off gift match; the second does not, with a reason', () => {
    expect(matchRule([rule], gift(1)).matched).toBe(true);
    expect(matchRule([rule], gift(null)).matched).toBe(true);
    const second = matchRule([rule], gift(2));
    expect(second).toEqual({
      matched: false,
      reason: expect.stringMatching(/installment 2 of a monthly gift/),
    });
  });

  it('a rule for the first three installments, or for every one, says so in data', () => {
    expect(matchRule([{ ...rule, installmentsUpTo: 3 }], gift(3)).matched).toBe(true);
    expect(matchRule([{ ...rule, installmentsUpTo: 3 }], gift(4)).matched).toBe(false);
    expect(matchRule([{ ...rule, installmentsUpTo: null }], gift(40)).matched).toBe(true);
  });
});

describe('installments on the broker', () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld();
    // Created without installmentsUpTo: the table's default applies.
    await arrange(world, { rules: [ONLINE_DIGITAL_RULE] });
  });
  afterAll(async () => {
    await world?.close();
  });

  async function decisionOf(donationId: string) {
    return eventually(async () => {
      const row = await world.db.decision.findUnique({ where: { donationId } });
      expect(row).not.toBeNull();
      return row!;
    });
  }

  it('the default rule gives the first installment a pack and the second none', async () => {
    const rules = await world.call('GET', '/admin/rules', world.keys.admin);
    expect(rules.body.rules[0].installmentsUpTo).toBe(1);

    const subscriptionId = randomUUID();
    const online = { channel: 'online' as const, officeId: null };
    const first = donationPosted({ ...online, recurrence: recurrence(subscriptionId, 1) });
    const second = donationPosted({ ...online, recurrence: recurrence(subscriptionId, 2) });
    const oneOff = donationPosted({ ...online });
    await world.publish([first, second, oneOff]);

    expect((await decisionOf(first.data.donationId)).outcome).toBe('rewarded');
    const refused = await decisionOf(second.data.donationId);
    expect(refused.outcome).toBe('no-reward');
    expect(refused.reason).toMatch(/installment 2 of a monthly gift/);
    expect((await decisionOf(oneOff.data.donationId)).outcome).toBe('rewarded');
    const shown = await world.call('GET', `/rewards/by-donation/${first.data.donationId}`);
    expect(shown.body).toMatchObject({ kind: 'digital-sticker-pack', status: 'available' });
    expect(await world.db.reward.count({ where: { donationId: second.data.donationId } })).toBe(0);
  });

  it('an admin may let every installment earn a pack (installmentsUpTo null)', async () => {
    const created = await world.call('POST', '/admin/rules', world.keys.admin, {
      ...ONLINE_DIGITAL_RULE,
      fund: 'monthly-fund',
      priority: 5,
      installmentsUpTo: null,
    });
    expect(created.status).toBe(201);
    const fifth = donationPosted({
      channel: 'online',
      officeId: null,
      fund: 'monthly-fund',
      recurrence: recurrence(randomUUID(), 5),
    });
    await world.publish([fifth]);
    expect((await decisionOf(fifth.data.donationId)).outcome).toBe('rewarded');
  });
});
