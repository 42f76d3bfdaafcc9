// The manage token is the donor's only proof: web's request log must never carry it. A web
// process of its own (logging every request) in front of the embedded suite's real services.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { suite } from './support/browser';

const ROOT = resolve(__dirname, '..', '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let web: ChildProcess;
let url: string;
let log = '';
beforeAll(async () => {
  const s = suite();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  web = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'services/web/src/main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      PAYMENT_URL: s.urls.payment,
      LEDGER_URL: s.urls.ledger,
      REWARD_URL: s.urls.reward,
      LOG_LEVEL: 'info',
    },
  });
  web.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  web.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  for (let i = 0; i < 120; i++) {
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await sleep(500);
  }
  throw new Error(`the web process did not start:\n${log}`);
});
afterAll(() => {
  web?.kill('SIGTERM');
});

it('a manage link in the path reaches the log redacted, whatever the answer', async () => {
  const token = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXN1YnNjcmlwdGlvbg.dG9rZW4tc2lnbmF0dXJl';
  const page = await fetch(`${url}/monthly/${token}?lang=en`, { headers: { accept: 'text/html' } });
  expect(page.status).toBeGreaterThanOrEqual(400);
  const cancel = await fetch(`${url}/monthly/${token}/cancel?lang=en`, {
    method: 'POST',
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'x=1',
  });
  expect(cancel.status).toBeGreaterThanOrEqual(400);
  // The request lines are written when each answer ends; wait for both.
  for (let i = 0; i < 40 && !log.includes('/monthly/[token]/cancel'); i++) await sleep(250);
  expect(log).toContain('"/monthly/[token]"');
  expect(log).toContain('/monthly/[token]/cancel');
  expect(log).not.toContain(token);
  expect(log).not.toContain('c2VjcmV0LXN1YnNjcmlwdGlvbg');
});
