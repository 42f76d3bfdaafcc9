// scratch (not committed): the console with an API-key stand-in for signin, for a first look
import { readFileSync } from 'node:fs';
import { createServiceApp, SseLimiter, listen } from '@bfi/http';
import express from 'express';
import pino from 'pino';
import { Apis } from './src/app/api';
import { loadWebConfig } from './src/config';
import { contentSecurityPolicy } from './src/http/security';
import { mountOfficeConsole } from './src/http/office-console';
import { mountOfficeAdmin } from './src/http/office-admin';
import { PUBLIC_DIR } from './src/service';
const [payment, ledger, reward, port] = process.argv.slice(2);
const keys = JSON.parse(readFileSync('/tmp/office/suite/demo-keys.json', 'utf8'));
const config = loadWebConfig({ PAYMENT_URL: payment, LEDGER_URL: ledger, REWARD_URL: reward, PORT: port });
const logger = pino({ level: 'warn' });
const who = (req: express.Request) => String(req.headers['x-who'] ?? 'minsk-nezavisimosti-10');
const auth = {
  requirePerson: () => (req: express.Request, res: express.Response, next: () => void) => {
    const w = who(req);
    res.locals.person = w === 'admin' ? { sub: 'a', name: 'Admin', role: 'admin' } : { sub: w, name: `Staff ${w}`, role: 'office-staff', officeId: w };
    res.locals.key = w === 'admin' ? keys.admin : keys.staff[w];
    res.locals.csrfToken = 'x';
    next();
  },
  personOf: (res: express.Response) => res.locals.person,
  personApi: (person: { role: string; officeId?: string }) => {
    const key = person.role === 'admin' ? keys.admin : keys.staff[person.officeId!];
    const base = (s: string) => ({ payment, ledger, reward } as Record<string, string>)[s]!;
    return {
      async call(service: string, method: string, path: string, body?: unknown) {
        const r = await fetch(base(service) + path, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
        const t = await r.text(); let b: any = t; try { b = JSON.parse(t); } catch {}
        return { status: r.status, ok: r.ok, body: b, detail: r.ok ? null : b?.detail ?? null };
      },
      raw: (service: string, path: string, init?: RequestInit) => fetch(base(service) + path, { ...init, headers: { ...(init?.headers as object), authorization: `Bearer ${key}` } }),
    } as any;
  },
};
const deps = { config, apis: new Apis(config), logger, goal: { minor: 1, currency: 'BYN' as const }, streams: new SseLimiter(config.sse), auth: auth as any };
const app = createServiceApp({ name: 'web', logger, apiKeys: [], readiness: {}, routes: (app) => {
  app.use(contentSecurityPolicy([]));
  app.use('/static', express.static(PUBLIC_DIR));
  mountOfficeConsole(app, deps);
  mountOfficeAdmin(app, deps);
} });
void listen(app, Number(port), '127.0.0.1').then(() => console.log('up'));
