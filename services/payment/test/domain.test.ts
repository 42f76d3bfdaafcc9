import { decide, paypalRefusal, type DonationState } from '../src/domain/donation';
import { signQrToken, verifyQrToken } from '../src/domain/qr';

const pending: DonationState = {
  status: 'pending',
  gross: { minor: 2500, currency: 'BYN' },
  refundedMinor: 0,
  disputeStatus: null,
  fee: null,
  failureReason: null,
};
const fee = { minor: 103, currency: 'BYN' as const };

function accept(state: DonationState, command: Parameters<typeof decide>[1]) {
  const d = decide(state, command);
  if (d.outcome !== 'accepted') throw new Error(`refused: ${d.reason}`);
  return d;
}

describe('donation state machine', () => {
  it('succeeds once; a second confirmation only fills in the fee', () => {
    const first = accept(pending, { kind: 'succeed', fee: null });
    expect(first.facts).toEqual([{ kind: 'succeeded' }]);
    const second = accept(first.state, { kind: 'succeed', fee });
    expect(second.facts).toEqual([]);
    expect(second.state.fee).toEqual(fee);
  });

  it('a late failure never overwrites success; failed → succeeded is allowed', () => {
    const paid = accept(pending, { kind: 'succeed', fee }).state;
    const late = accept(paid, { kind: 'fail', reason: 'declined' });
    expect(late.state.status).toBe('succeeded');
    expect(late.facts).toEqual([]);
    const failed = accept(pending, { kind: 'fail', reason: 'declined' });
    expect(failed.facts).toEqual([{ kind: 'failed', reason: 'declined' }]);
    expect(accept(failed.state, { kind: 'succeed', fee }).state.status).toBe('succeeded');
  });

  it('an expired checkout ends pending (or failed) donations as expired, once; a paid one stays paid', () => {
    const expired = accept(pending, { kind: 'expire' });
    expect(expired.state.status).toBe('expired');
    expect(expired.facts).toEqual([{ kind: 'expired' }]);
    expect(accept(expired.state, { kind: 'expire' }).facts).toEqual([]);
    // A declined card, then the donor left: over as well.
    const failed = accept(pending, { kind: 'fail', reason: 'declined' }).state;
    expect(accept(failed, { kind: 'expire' }).state.status).toBe('expired');
    // Nothing was paid, so nothing can be refunded or disputed.
    expect(decide(expired.state, { kind: 'refund', refundId: 're_1', amount: fee })).toMatchObject({
      outcome: 'refused',
      retryable: false,
    });
    // A stale expiry after the money arrived changes nothing.
    const paid = accept(pending, { kind: 'succeed', fee }).state;
    const late = accept(paid, { kind: 'expire' });
    expect(late.state.status).toBe('succeeded');
    expect(late.facts).toEqual([]);
    // A late "failed" does not reopen it; if money did arrive after all, it is booked.
    expect(accept(expired.state, { kind: 'fail', reason: 'x' }).state.status).toBe('expired');
    expect(accept(expired.state, { kind: 'succeed', fee }).facts).toEqual([{ kind: 'succeeded' }]);
  });

  it('refunds accumulate: partial, then full, then refused', () => {
    const paid = accept(pending, { kind: 'succeed', fee }).state;
    const part = accept(paid, {
      kind: 'refund',
      refundId: 'r1',
      amount: { minor: 1000, currency: 'BYN' },
    });
    expect(part.state).toMatchObject({ status: 'partially_refunded', refundedMinor: 1000 });
    expect(part.facts[0]).toMatchObject({ totalRefunded: { minor: 1000 }, fullyRefunded: false });
    const rest = accept(part.state, {
      kind: 'refund',
      refundId: 'r2',
      amount: { minor: 1500, currency: 'BYN' },
    });
    expect(rest.state.status).toBe('refunded');
    expect(rest.facts[0]).toMatchObject({ fullyRefunded: true, totalRefunded: { minor: 2500 } });
    expect(
      decide(rest.state, { kind: 'refund', refundId: 'r3', amount: { minor: 1, currency: 'BYN' } }),
    ).toMatchObject({ outcome: 'refused', retryable: false });
    expect(
      decide(paid, { kind: 'refund', refundId: 'r4', amount: { minor: 1, currency: 'USD' } }),
    ).toMatchObject({ outcome: 'refused' });
  });

  it('events that overtake their predecessor are refused as retryable', () => {
    expect(
      decide(pending, { kind: 'refund', refundId: 'r', amount: { minor: 1, currency: 'BYN' } }),
    ).toMatchObject({ outcome: 'refused', retryable: true });
    const paid = accept(pending, { kind: 'succeed', fee }).state;
    const close = {
      kind: 'dispute-close' as const,
      disputeId: 'dp',
      amount: pending.gross,
      outcome: 'lost' as const,
    };
    expect(decide(paid, close)).toMatchObject({ outcome: 'refused', retryable: true });
    const open = accept(paid, { kind: 'dispute-open', disputeId: 'dp', amount: pending.gross });
    expect(accept(open.state, close).facts).toEqual([
      { kind: 'dispute-closed', disputeId: 'dp', amount: pending.gross, outcome: 'lost' },
    ]);
  });

  it('PayPal is refused for BYN with a reason', () => {
    expect(paypalRefusal('BYN')).toMatch(/PayPal does not support BYN/);
    expect(paypalRefusal('EUR')).toBeNull();
  });
});

describe('QR tokens', () => {
  const secret = 'a-very-secret-test-key';
  const intent = {
    k: 'intent' as const,
    jti: 'j',
    pid: 'p',
    oid: 'o',
    amt: 100,
    cur: 'BYN',
    exp: 1000,
  };

  it('verifies its own tokens, refuses tampering, other secrets and expiry', () => {
    const token = signQrToken(secret, intent);
    expect(verifyQrToken(secret, token, 999)).toEqual({ ok: true, claims: intent });
    expect(verifyQrToken(secret, token, 1000)).toMatchObject({ ok: false, code: 'expired' });
    expect(verifyQrToken('another-secret-entirely', token, 0)).toMatchObject({
      ok: false,
      code: 'forged',
    });
    const [, sig] = token.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ ...intent, amt: 1 })).toString('base64url')}.${sig}`;
    expect(verifyQrToken(secret, tampered, 0)).toMatchObject({ ok: false, code: 'forged' });
    expect(verifyQrToken(secret, 'garbage', 0)).toMatchObject({ ok: false, code: 'malformed' });
  });
});
