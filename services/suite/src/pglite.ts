import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGliteWireServer } from './pglite-wire';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * One PGlite (PostgreSQL compiled to WASM) per service, in its own folder, behind a Postgres
 * wire-protocol socket (`PGliteWireServer`) — the embedded mirror of database-per-service. A socket server serves
 * exactly one database and ignores the name in the URL, so never "create a database" on it.
 * PGlite is single-session: clients must use ONE connection (pool max 1).
 */
export async function startEmbeddedPostgres(dir: string, port: number): Promise<EmbeddedPostgres> {
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGliteWireServer(db);
  await server.start(port, '127.0.0.1');
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
