import { Client } from 'pg';
import { adminUrl, createTestDatabase, databaseUrlFor } from '../src/test-db';
import { SVC_MIGRATIONS } from './helpers';

async function databaseExists(name: string): Promise<boolean> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rows.length === 1;
  } finally {
    await admin.end();
  }
}

describe('test databases', () => {
  it('builds URLs on the admin server with the same credentials', () => {
    const admin = new URL(adminUrl());
    const url = new URL(databaseUrlFor('some_db'));
    expect(url.pathname).toBe('/some_db');
    expect(url.host).toBe(admin.host);
    expect(url.username).toBe(admin.username);
  });

  it('creates a uniquely named database, applies migrations, and drops it despite open connections', async () => {
    const [a, b] = await Promise.all([
      createTestDatabase({ prefix: 'bfi_db_Test-DB', migrationsDir: SVC_MIGRATIONS }),
      createTestDatabase({ prefix: 'bfi_db_Test-DB' }),
    ]);
    expect(a.name).toMatch(/^bfi_db_test_db_[0-9a-f]{12}$/);
    expect(a.name).not.toBe(b.name);
    await b.drop();

    const client = new Client({ connectionString: a.url });
    client.on('error', () => undefined); // the drop kills this session on purpose
    await client.connect();
    const { rows } = await client.query<{ db: string; tables: string }>(
      "SELECT current_database() AS db, (SELECT count(*) FROM pg_tables WHERE schemaname = 'public') AS tables",
    );
    expect(rows[0]).toEqual({ db: a.name, tables: '3' });

    await a.drop();
    expect(await databaseExists(a.name)).toBe(false);
    expect(await databaseExists(b.name)).toBe(false);
    await a.drop(); // idempotent
    await client.end().catch(() => undefined);
  });
});
