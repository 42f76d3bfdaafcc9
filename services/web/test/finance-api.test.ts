import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Apis } from '../src/app/api';
import { financeApi } from '../src/app/finance-api';
import { personApi } from '../src/app/person-api';
import { loadWebConfig } from '../src/config';
import type { Person } from '../src/http/session';
import { OFFICE, suite } from './support/browser';

// The finance console's calls, made as a person (a signed person token per service) against
// the real embedded suite: finance gets answers, office staff are refused by every service
// itself — a compromised web app holding a staff token still cannot act as finance.

const s = suite();
const { privateKey } = JSON.parse(
  readFileSync(join(s.dataDir, 'person-token-key.json'), 'utf8'),
) as { privateKey: string };
const apis = new Apis(
  loadWebConfig({
    PAYMENT_URL: s.urls.payment,
    LEDGER_URL: s.urls.ledger,
    REWARD_URL: s.urls.reward,
    PERSON_TOKEN_PRIVATE_KEY: privateKey,
  }),
);
const finance: Person = { sub: 'fin-1', name: 'Finance Officer', role: 'finance' };
const staff: Person = { sub: 'st-1', name: 'Staff', role: 'office-staff', officeId: OFFICE.id };
const asFinance = financeApi(personApi(apis, finance));
const asStaff = financeApi(personApi(apis, staff));

const period = { from: '2020-01-01', to: '2100-01-01' };

test('finance reads funds, totals, the journal, runs, dead letters, flagged rewards and the audit', async () => {
  const funds = await asFinance.funds();
  expect(funds.status).toBe(200);
  expect(funds.body.funds.map((f) => f.slug)).toContain('specialist-training');
  const totals = await asFinance.totals('specialist-training', 'day', period);
  expect(totals.status).toBe(200);
  expect(Array.isArray(totals.body.rows)).toBe(true);
  const journal = await asFinance.journal({});
  expect(journal.status).toBe(200);
  expect(Array.isArray(journal.body.entries)).toBe(true);
  expect((await asFinance.runs()).status).toBe(200);
  expect((await asFinance.deadLetters()).status).toBe(200);
  expect((await asFinance.flagged()).status).toBe(200);
  const audit = await asFinance.verify();
  expect(audit.body.ok).toBe(true);
});

test('a run started as finance answers at once and then completes, its progress readable', async () => {
  const started = await asFinance.startRun(period, null);
  expect(started.status).toBe(202);
  expect(started.body.status).toBe('running');
  let run = (await asFinance.run(started.body.id)).body;
  for (let i = 0; i < 120 && run.status === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    run = (await asFinance.run(started.body.id)).body;
  }
  expect(run.status).toBe('completed');
  expect(run.summary).not.toBeNull();
  const lines = await asFinance.lines(run.id);
  expect(lines.status).toBe(200);
});

test('the services refuse a staff person the finance calls, with a reason in words', async () => {
  const journal = await asStaff.journal({});
  expect(journal.status).toBe(403);
  expect(journal.detail).toMatch(/finance/);
  expect((await asStaff.totals('specialist-training', 'currency', {})).status).toBe(403);
  expect((await asStaff.startRun(period, null)).status).toBe(403);
  expect((await asStaff.refund('7c1f0e39-6f6e-4a38-9b59-0a5a1e1f2a11', 100)).status).toBe(403);
  expect((await asStaff.flagged()).status).toBe(403);
  expect((await asStaff.replay('all')).status).toBe(403);
  expect((await asStaff.setFundStatus('general', 'closed')).status).toBe(403);
  // Nothing changed: the general fund is still open.
  const funds = await asFinance.funds();
  expect(funds.body.funds.find((f) => f.slug === 'general')?.status).toBe('open');
});
