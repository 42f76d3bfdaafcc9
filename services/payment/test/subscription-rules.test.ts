import { nextStatus } from '../src/domain/subscription';

describe('a monthly gift’s status', () => {
  it('starts with its first paid installment, not with a failed one', () => {
    expect(nextStatus('pending', { kind: 'installment-failed' })).toEqual({
      status: 'pending',
      started: false,
      cancelled: null,
    });
    expect(nextStatus('pending', { kind: 'installment-paid' })).toEqual({
      status: 'active',
      started: true,
      cancelled: null,
    });
    expect(nextStatus('active', { kind: 'installment-paid' }).started).toBe(false);
  });

  it('goes past due on a failed installment and back when one is paid', () => {
    expect(nextStatus('active', { kind: 'installment-failed' }).status).toBe('past_due');
    expect(nextStatus('past_due', { kind: 'installment-paid' }).status).toBe('active');
    expect(nextStatus('past_due', { kind: 'provider-status', status: 'active' }).status).toBe(
      'active',
    );
  });

  it('is cancelled once, and nothing a provider says later revives it', () => {
    expect(nextStatus('active', { kind: 'cancelled', reason: 'donor' }).cancelled).toBe('donor');
    for (const signal of [
      { kind: 'installment-paid' as const },
      { kind: 'provider-status' as const, status: 'active' as const },
      { kind: 'cancelled' as const, reason: 'provider' as const },
    ])
      expect(nextStatus('cancelled', signal)).toEqual({
        status: 'cancelled',
        started: false,
        cancelled: null,
      });
  });
});
