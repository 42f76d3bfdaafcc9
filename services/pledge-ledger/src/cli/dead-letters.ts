// Dead letters from the command line, through the ledger's HTTP API (so it works the same on the
// embedded run and on Kafka, and the finance role is checked as for any request):
//   npm run dead-letters -w @bfi/pledge-ledger -- list
//   npm run dead-letters -w @bfi/pledge-ledger -- replay <id>
//   npm run dead-letters -w @bfi/pledge-ledger -- replay --all
// LEDGER_URL (default http://127.0.0.1:3002) and API_KEY (a finance or admin key).
import { parseArgs } from 'node:util';
import type { DeadLetter as Letter, ReplayResult } from '@bfi/messaging';

const USAGE = 'usage: dead-letters list | replay <id> | replay --all   (env LEDGER_URL, API_KEY)';

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const base = (process.env.LEDGER_URL ?? 'http://127.0.0.1:3002').replace(/\/$/, '');
  const key = process.env.API_KEY;
  if (!key) throw new Error(`API_KEY (a finance or admin key) is required\n${USAGE}`);
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { detail?: string };
  if (!res.ok) throw new Error(`${res.status}: ${json.detail ?? 'request failed'}`);
  return json;
}

function line(l: Letter): string {
  const replayed = l.replayedAt ? `replayed ${l.replayedAt}` : 'not replayed';
  return [
    l.id,
    `  ${l.event.type ?? '(not an event)'} ${l.event.id ?? ''} subject ${l.event.subject ?? '-'}`,
    `  ${l.reason} by ${l.consumer ?? '?'} at ${l.failedAt ?? '?'} from ${l.source ?? '?'}; ${replayed}`,
    `  ${l.error}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { all: { type: 'boolean' } },
  });
  const [command, id] = positionals;
  if (command === 'list') {
    const { deadLetters } = (await call('GET', '/dead-letters')) as { deadLetters: Letter[] };
    process.stdout.write(deadLetters.map(line).join('\n') + '\n');
    process.stderr.write(`${deadLetters.length} dead letter(s)\n`);
    return;
  }
  if (command === 'replay' && (id || values.all)) {
    const result = (await call(
      'POST',
      '/dead-letters/replay',
      id ? { id } : { all: true },
    )) as ReplayResult;
    for (const l of result.replayed) process.stdout.write(`replayed ${l.id} (${l.event.type})\n`);
    process.stderr.write(
      `${result.replayed.length} replayed, ${result.skipped} left out (replayed before)\n`,
    );
    return;
  }
  throw new Error(USAGE);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
