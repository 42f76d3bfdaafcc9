// Pure rules: claim codes, rule matching, reward placement, reversal effects.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  CLAIM_CODE_ALPHABET,
  formatClaimCode,
  generateClaimCode,
  matchRule,
  parseClaimCode,
  placeReward,
  reversalRevokes,
  revocationOf,
  type DonationFacts,
  type Rule,
} from '../src/domain';

describe('claim codes', () => {
  it('use no ambiguous characters', () => {
    for (const c of '01OILU') expect(CLAIM_CODE_ALPHABET).not.toContain(c);
    expect(new Set(CLAIM_CODE_ALPHABET).size).toBe(CLAIM_CODE_ALPHABET.length);
  });

  it('are 8 symbols of the alphabet, practically unique (20 000 drawn, no repeat)', () => {
    const codes = Array.from({ length: 20000 }, () => generateClaimCode(randomBytes));
    expect(codes.every((c) => /^[2-9A-HJKMNP-TV-Z]{8}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('round-trip through formatting, case and spacing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16, max: 239 }), (bytes) => {
        const code = generateClaimCode(() => bytes);
        const typed = ` ${formatClaimCode(code).toLowerCase().replace('-', ' - ')} `;
        expect(parseClaimCode(typed)).toEqual({ ok: true, code });
      }),
    );
  });

  it('refuse ambiguous characters and wrong lengths with a reason', () => {
    expect(parseClaimCode('O0II-1LLU')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/never contain/),
    });
    expect(parseClaimCode('ABCD-234')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/has 7/),
    });
  });
});

const rule = (over: Partial<Rule>): Rule => ({
  id: 'r1',
  campaign: 'c',
  channel: 'office',
  fund: null,
  kind: 'physical-sticker-pack',
  outOfStock: 'wait-for-stock',
  priority: 0,
  installmentsUpTo: 1,
  activeFrom: new Date('2025-01-01T00:00:00Z'),
  activeUntil: null,
  minimums: { BYN: 1000 },
  createdAt: new Date('2025-01-01T00:00:00Z'),
  ...over,
});

const donation = (over: Partial<DonationFacts> = {}): DonationFacts => ({
  channel: 'office',
  officeId: 'o1',
  fund: 'specialist-training',
  gross: { minor: 1000, currency: 'BYN' },
  installment: null,
  postedAt: new Date('2025-06-01T00:00:00Z'),
  ...over,
});

describe('matchRule', () => {
  it('takes the highest-priority rule met; the minimum is inclusive', () => {
    const m = matchRule(
      [rule({ id: 'low' }), rule({ id: 'high', priority: 5, kind: 'digital-sticker-pack' })],
      donation(),
    );
    expect(m).toMatchObject({ matched: true, rule: { id: 'high' }, thresholdMinor: 1000 });
  });

  it('respects the active period (from inclusive, until exclusive), channel and fund', () => {
    const until = new Date('2025-06-01T00:00:00Z');
    expect(matchRule([rule({ activeUntil: until })], donation()).matched).toBe(false);
    expect(matchRule([rule({ activeFrom: until })], donation()).matched).toBe(true);
    expect(matchRule([rule({ channel: 'online' })], donation())).toMatchObject({
      matched: false,
      reason: expect.stringMatching(/no active office rule/),
    });
    expect(matchRule([rule({ fund: 'general' })], donation()).matched).toBe(false);
    expect(matchRule([rule({ fund: 'specialist-training' })], donation()).matched).toBe(true);
  });

  it('says why nothing matched', () => {
    expect(matchRule([rule({})], donation({ gross: { minor: 999, currency: 'BYN' } }))).toEqual({
      matched: false,
      reason: '999 BYN (minor units) is below the minimum of 1000',
    });
    expect(
      matchRule([rule({})], donation({ gross: { minor: 5000, currency: 'USD' } })),
    ).toMatchObject({ reason: 'no active rule sets a minimum in USD' });
  });
});

describe('placement and reversal', () => {
  it('places physical packs by stock and policy', () => {
    expect(placeReward('physical-sticker-pack', 'wait-for-stock', true)).toEqual({
      kind: 'physical-sticker-pack',
      status: 'available',
      fallback: false,
      reserved: true,
    });
    expect(placeReward('physical-sticker-pack', 'wait-for-stock', false)).toMatchObject({
      status: 'waiting-list',
      reserved: false,
    });
    expect(placeReward('physical-sticker-pack', 'digital-fallback', false)).toEqual({
      kind: 'digital-sticker-pack',
      status: 'available',
      fallback: true,
      reserved: false,
    });
    expect(placeReward('digital-sticker-pack', 'wait-for-stock', false)).toMatchObject({
      status: 'available',
      fallback: false,
    });
  });

  it('revokes on full reversal or when the rest falls below the minimum', () => {
    const base = { grossMinor: 2500, reversedMinor: 0, thresholdMinor: 1000 };
    expect(reversalRevokes({ ...base, amountMinor: 100, fullyReversed: true })).toBe(true);
    expect(reversalRevokes({ ...base, amountMinor: 1500, fullyReversed: false })).toBe(false);
    expect(reversalRevokes({ ...base, amountMinor: 1501, fullyReversed: false })).toBe(true);
    expect(
      reversalRevokes({ ...base, reversedMinor: 1000, amountMinor: 600, fullyReversed: false }),
    ).toBe(true);
  });

  it('flags what was claimed, revokes what was not, leaves finished ones alone', () => {
    expect(revocationOf('available')).toEqual({ status: 'revoked', wasClaimed: false });
    expect(revocationOf('waiting-list')).toEqual({ status: 'revoked', wasClaimed: false });
    expect(revocationOf('handed-out')).toEqual({ status: 'flagged', wasClaimed: true });
    expect(revocationOf('revoked')).toBeNull();
    expect(revocationOf('flagged')).toBeNull();
  });
});
