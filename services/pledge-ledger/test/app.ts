import type { TestDatabase } from '@bfi/db';
import { InProcessTransport } from '@bfi/messaging';
import { testLogger } from '@bfi/testing';
import type { Response } from 'superagent';
import type { Db } from '../src/db/client';
import { createPledgeLedgerService } from '../src/service';
import { apiKeys, openDb } from './helpers';

// pdf-parse@1's index runs a self-test when required directly; the library file does not.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const pdfParse = require('pdf-parse/lib/pdf-parse.js') as (
  b: Buffer,
) => Promise<{ text: string; numpages: number }>;

/** supertest parser that keeps a binary body (a PDF) as a Buffer. */
export function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

export interface LedgerApp {
  database: TestDatabase;
  db: Db;
  app: ReturnType<typeof createPledgeLedgerService>['app'];
  close(): Promise<void>;
}

/** The service's HTTP app on a fresh database (in-process transport, no providers). */
export async function openLedgerApp(prefix: string): Promise<LedgerApp> {
  const { database, db } = await openDb(prefix);
  const { app } = createPledgeLedgerService({
    db,
    transport: new InProcessTransport({ logger: testLogger }),
    logger: testLogger,
    config: { apiKeys },
  });
  return {
    database,
    db,
    app,
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}
