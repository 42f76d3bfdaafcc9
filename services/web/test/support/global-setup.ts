import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..', '..');

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** A run of `count` free consecutive ports (the launcher numbers its services from a base). */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free ports for the embedded suite');
}

export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'infra', 'chromium.mjs')], { stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'web-test-'));
  // payment, ledger, reward, web, the OpenID provider, and a spare web (short sessions test).
  const base = await freePorts(6);
  const env = {
    ...process.env,
    PORT: String(base),
    OIDC_DEMO_EXTRA_WEB_URLS: `http://127.0.0.1:${base + 5}`,
    EMBEDDED_PG_PORT: String(await freePorts(3)),
    FAKE_STRIPE_PORT: '0',
    FAKE_PAYPAL_PORT: '0',
    FAKE_SMTP_PORT: '0',
    MAIL_INBOX_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'services/suite/src/start.ts')],
    {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = createWriteStream(join(dataDir, 'suite.log'));
  child.stderr.pipe(log);
  const banner = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(
      () => fail(new Error(`the embedded suite did not start; see ${dataDir}/suite.log`)),
      240000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      log.write(chunk);
      if (out.includes('Ctrl+C stops everything')) {
        clearTimeout(timer);
        done(out);
      }
    });
    child.once('exit', (code) =>
      fail(new Error(`the embedded suite exited (${code}); see ${dataDir}/suite.log`)),
    );
  });
  const url = (name: string) => new RegExp(`^\\s+${name}\\s+(http\\S+)`, 'm').exec(banner)![1]!;
  const suite = {
    pid: child.pid,
    dataDir,
    urls: {
      web: url('web'),
      payment: url('payment'),
      ledger: url('pledge-ledger'),
      reward: url('reward'),
      inbox: url('mail inbox'),
      oidc: url('sign-in \\(OIDC\\)'),
    },
    spareWebPort: base + 5,
  };
  const file = join(dataDir, 'suite.json');
  writeFileSync(file, JSON.stringify(suite));
  process.env.WEB_SUITE_FILE = file;
}
