// PostgreSQL's own figures for the ledger's kind of write, from pgbench when it is installed (the
// bench installs nothing): single-row transactions (1 client) and 100-row transactions (4).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withDb } from './load';
import type { Scale } from './pipeline';
import type { Figure } from './table';

const LINE = `gen_random_uuid(), 'fund:specialist-training:BYN', 'fund', 'BYN', 1000`;

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`pgbench exited ${code}: ${out}`)),
    );
  });
}

async function tps(url: string, script: string, clients: number, seconds: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bfi-bench-pgbench-'));
  try {
    const file = path.join(dir, 'script.sql');
    fs.writeFileSync(file, `${script}\n`);
    const out = await run([
      '-n',
      '-f',
      file,
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, 2)),
      '-T',
      String(seconds),
      url,
    ]);
    const match = /tps = ([\d.]+)/.exec(out);
    if (!match) throw new Error(`pgbench printed no tps:\n${out}`);
    return Number(match[1]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function pgbenchFigures(url: string, scale: Scale): Promise<Figure[]> {
  const base = {
    baseline: null,
    baselineValue: null,
    goal: 'baseline (printed)',
  };
  if (spawnSync('pgbench', ['--version']).error) {
    return [
      {
        ...base,
        path: 'postgres: pgbench',
        value: null,
        unit: '',
        note: 'pgbench is not installed here (Debian: postgresql-client); the bench installs nothing',
      },
    ];
  }
  await withDb(url, (c) =>
    c.query(
      'CREATE TABLE pgbench_line (id bigserial PRIMARY KEY, entry_id uuid NOT NULL, account text NOT NULL, account_type text NOT NULL, currency text NOT NULL, amount_minor bigint NOT NULL)',
    ),
  );
  const seconds = scale.quick ? 5 : 15;
  const insert =
    'INSERT INTO pgbench_line (entry_id, account, account_type, currency, amount_minor)';
  scale.log('postgres: pgbench');
  const single = await tps(url, `${insert} VALUES (${LINE});`, 1, seconds);
  const hundred = await tps(
    url,
    `${insert} SELECT ${LINE} FROM generate_series(1, 100);`,
    4,
    seconds,
  );
  return [
    {
      ...base,
      path: 'postgres: single-row transactions (c=1)',
      value: single,
      unit: 'tx/s',
      note: `pgbench ${seconds} s, a journal line's shape, fsync as the server is configured`,
    },
    {
      ...base,
      path: 'postgres: rows in 100-row transactions (c=4)',
      value: hundred * 100,
      unit: 'rows/s',
      note: `pgbench ${seconds} s`,
    },
  ];
}
