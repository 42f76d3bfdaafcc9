import {
  maskEmail,
  maskEmailsIn,
  retryDelayMs,
  statusAfterFailure,
} from '../src/domain/receipt-mail';
import { loadPaymentConfig } from '../src/config';
import { smtpTarget } from '../src/mail-config';

const policy = { retryBaseMs: 30_000, retryMaxMs: 3_600_000, maxAttempts: 12 };

describe('receipt mail rules', () => {
  it('waits twice as long after each failed try, up to the maximum', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(policy, n))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(retryDelayMs(policy, 8)).toBe(3_600_000);
    expect(retryDelayMs(policy, 500)).toBe(3_600_000);
  });

  it('keeps retrying until the last allowed try, then marks the mail failed', () => {
    expect(statusAfterFailure(policy, 11)).toBe('retrying');
    expect(statusAfterFailure(policy, 12)).toBe('failed');
  });

  it('shows a donor address only masked, also inside an SMTP reply', () => {
    expect(maskEmail('olga.k@donor.by')).toBe('o***@donor.by');
    expect(maskEmailsIn('550 5.1.1 <olga.k@donor.by>: Recipient address rejected')).toBe(
      '550 5.1.1 <o***@donor.by>: Recipient address rejected',
    );
  });

  it('reads the SMTP server from SMTP_URL or the separate variables, and never prints the password', () => {
    const base = { DATABASE_URL: 'postgresql://x', QR_SECRET: '0123456789abcdef' };
    const byUrl = loadPaymentConfig({
      ...base,
      SMTP_URL: 'smtps://mailer:s3cret@mail.example:465',
    });
    expect(smtpTarget(byUrl.mail.smtp!)).toBe('smtps://mail.example:465');
    const byParts = loadPaymentConfig({
      ...base,
      SMTP_HOST: 'mail.example',
      SMTP_PORT: '587',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: 's3cret',
    });
    expect(byParts.mail.smtp).toMatchObject({ host: 'mail.example', port: 587, user: 'mailer' });
    expect(smtpTarget(byParts.mail.smtp!)).toBe('smtp://mail.example:587');
    expect(loadPaymentConfig(base).mail.smtp).toBeNull();
    expect(() => loadPaymentConfig({ ...base, SMTP_URL: 'http://mail.example' })).toThrow(
      /SMTP_URL/,
    );
  });
});
