// The service's /openapi.json, generated from its route tables: Redocly's recommended rules find
// nothing in it, and every operation names itself (operationId) and its 2xx answer.
import { redoclyProblems } from '@bfi/testing';
import request from 'supertest';
import { openLedgerApp, type LedgerApp } from './app';

let ledger: LedgerApp;

beforeAll(async () => {
  ledger = await openLedgerApp('ledger_openapi');
});
afterAll(async () => {
  await ledger.close();
});

type Operation = { operationId?: string; responses: Record<string, { content?: object }> };

describe('GET /openapi.json', () => {
  it('passes Redocly lint (recommended rules) with no error or warning', async () => {
    const res = await request(ledger.app).get('/openapi.json').expect(200);
    expect(await redoclyProblems(res.body)).toEqual([]);
  }, 120_000);

  it('gives every endpoint of both modules one unique operationId and a documented 2xx', async () => {
    const res = await request(ledger.app).get('/openapi.json').expect(200);
    const operations = Object.values(
      res.body.paths as Record<string, Record<string, Operation>>,
    ).flatMap((methods) => Object.values(methods));
    const ids = operations.map((o) => o.operationId);
    expect(ids).toHaveLength(28);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of operations) {
      const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      expect([op.operationId, success.length > 0]).toEqual([op.operationId, true]);
    }
    expect(ids).toEqual(
      expect.arrayContaining(['postPayout', 'startReconciliationRun', 'resolveReconciliationLine']),
    );
  });
});
