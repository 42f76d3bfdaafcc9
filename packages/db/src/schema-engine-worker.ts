// Child-process entry for `diffSql` (see schema-engine.ts): reads {fromSchema?, toSchema} as JSON
// on stdin, writes {sql} as JSON on stdout.
import { diffInProcess, type DiffInput } from './schema-engine';

function parseInput(text: string): DiffInput {
  const value: unknown = JSON.parse(text);
  const { fromSchema, toSchema } = (value ?? {}) as Record<string, unknown>;
  if (
    typeof toSchema !== 'string' ||
    (fromSchema !== undefined && typeof fromSchema !== 'string')
  ) {
    throw new Error('expected {"toSchema": string, "fromSchema"?: string} on stdin');
  }
  return fromSchema === undefined ? { toSchema } : { fromSchema, toSchema };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const input = parseInput(await readStdin());
  const sql = await diffInProcess(input);
  // Exit explicitly once the answer is flushed: the engine may leave timers behind.
  process.stdout.write(JSON.stringify({ sql }), () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
