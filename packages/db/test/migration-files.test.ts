import {
  checksumMatches,
  checksumOf,
  migrationTimestamp,
  nextMigrationName,
} from '../src/migration-files';

describe('migration files', () => {
  it('checksums are lowercase hex sha256 of the content', () => {
    // Known vector (FIPS 180-2): sha256("abc").
    expect(checksumOf('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('accepts a checksum of the same file with flipped line endings, like Prisma', () => {
    const unix = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n';
    const windows = unix.replace(/\n/g, '\r\n');
    expect(checksumMatches(windows, checksumOf(unix))).toBe(true);
    expect(checksumMatches(unix, checksumOf(windows))).toBe(true);
    expect(checksumMatches(unix + '-- edited\n', checksumOf(unix))).toBe(false);
  });

  it('names folders <utc yyyymmddhhmmss>_<slug>', () => {
    const now = new Date(Date.UTC(2026, 10, 28, 9, 5, 7));
    expect(migrationTimestamp(now)).toBe('20261128090507');
    expect(nextMigrationName([], 'Add Ledger-Entries!', now)).toBe(
      '20261128090507_add_ledger_entries',
    );
    expect(() => nextMigrationName([], '---', now)).toThrow(/no letters or digits/);
  });

  it('keeps folder names increasing when the clock is not ahead of the newest migration', () => {
    const now = new Date(Date.UTC(2026, 10, 28, 9, 5, 7));
    expect(nextMigrationName(['20261128090507_init'], 'next', now)).toBe('20261128090508_next');
    expect(nextMigrationName(['20261231235959_future'], 'next', now)).toBe('20270101000000_next');
  });
});
