import {
  CalendarDateSchema,
  DateTimeSchema,
  InstantSchema,
  openPeriodSchema,
  parseDateTime,
  PeriodSchema,
} from '../src/dates';

const iso = (v: unknown) => (v as Date).toISOString();

describe('shared date schema', () => {
  it('takes real calendar days, leap days included, as midnight UTC', () => {
    expect(iso(CalendarDateSchema.parse('2025-03-01'))).toBe('2025-03-01T00:00:00.000Z');
    expect(iso(CalendarDateSchema.parse('2024-02-29'))).toBe('2024-02-29T00:00:00.000Z');
    expect(iso(CalendarDateSchema.parse('2000-02-29'))).toBe('2000-02-29T00:00:00.000Z');
  });

  it('refuses days that are not on the calendar instead of rolling them into the next month', () => {
    for (const day of [
      '2025-02-30',
      '2025-02-29',
      '1900-02-29',
      '2025-04-31',
      '2025-13-01',
      '2025-00-10',
    ])
      expect(CalendarDateSchema.safeParse(day).error?.issues[0]?.message).toMatch(
        /not a day of the calendar/,
      );
    expect(InstantSchema.safeParse('2025-02-30T10:00:00Z').success).toBe(false);
    expect(parseDateTime('2025-02-30 10:00:00', { assumeUtc: true }).ok).toBe(false);
  });

  it('refuses years the database and JavaScript do not both hold the same way', () => {
    for (const text of ['0000-01-01', '1899-12-31', '0001-01-01T00:00:00Z', '+275760-01-01']) {
      const result = InstantSchema.safeParse(text);
      expect(result.success).toBe(false);
    }
    expect(InstantSchema.safeParse('0000-01-01').error?.issues[0]?.message).toMatch(
      /outside the dates this service keeps \(1900-01-01 to 9999-12-31\)/,
    );
    expect(iso(InstantSchema.parse('9999-12-31T23:59:59Z'))).toBe('9999-12-31T23:59:59.000Z');
    // 23:30 on the last day at -01:00 is already year 10000 in UTC.
    expect(DateTimeSchema.safeParse('9999-12-31T23:30:00-01:00').success).toBe(false);
  });

  it('reads date-times with a zone, and only those', () => {
    expect(iso(DateTimeSchema.parse('2025-03-01T10:00:00+03:00'))).toBe('2025-03-01T07:00:00.000Z');
    expect(iso(DateTimeSchema.parse('2025-03-01T10:00:00.123456Z'))).toBe(
      '2025-03-01T10:00:00.123Z',
    );
    expect(DateTimeSchema.safeParse('2025-03-01T10:00:00').success).toBe(false);
    expect(DateTimeSchema.safeParse('2025-03-01T24:00:00Z').success).toBe(false);
    expect(DateTimeSchema.safeParse('2025-03-01T10:60:00Z').success).toBe(false);
    expect(DateTimeSchema.safeParse(20250301).success).toBe(false);
  });

  it('refuses a period whose end is not after its start, naming the field', () => {
    expect(PeriodSchema.parse({ from: '2025-03-01', to: '2025-04-01' }).to).toEqual(
      new Date('2025-04-01T00:00:00Z'),
    );
    const wrong = PeriodSchema.safeParse({ from: '2025-04-01', to: '2025-03-01' });
    expect(wrong.error?.issues[0]).toMatchObject({
      path: ['to'],
      message: expect.stringMatching(/must be after from/),
    });
    expect(PeriodSchema.safeParse({ from: '2025-03-01', to: '2025-03-01' }).success).toBe(false);
    const open = openPeriodSchema({});
    expect(open.parse({ from: '2025-03-01' })).toEqual({ from: new Date('2025-03-01T00:00:00Z') });
    expect(open.safeParse({ from: '2025-04-01', to: '2025-03-01' }).success).toBe(false);
  });
});
