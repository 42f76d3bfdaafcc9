// `pg_dump --schema-only`, cut into its objects and normalized so two databases built different
// ways (migrations vs. schema.prisma) compare equal when they define the same schema.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DumpEntry {
  /** pg_dump's own object type: TABLE, INDEX, CONSTRAINT, FK CONSTRAINT, FUNCTION, TRIGGER, ... */
  type: string;
  /** `<schema>.<name>`, as in the dump's `-- Name:` header (tables' sub-objects: `table object`). */
  name: string;
  sql: string;
}

export interface NormalizeOptions {
  /** pg_dump object types dropped before comparing. */
  ignoreTypes: readonly string[];
  /** Drop CHECK constraints (inline in CREATE TABLE and NOT VALID ones). */
  ignoreCheckConstraints: boolean;
}

/**
 * Objects Prisma's datamodel cannot express, so only hand-written migration SQL creates them
 * (e.g. plpgsql triggers). Comparing them against schema.prisma would always report drift.
 */
export const HAND_WRITTEN_TYPES: readonly string[] = [
  'FUNCTION',
  'PROCEDURE',
  'AGGREGATE',
  'TRIGGER',
  'EXTENSION',
];

/** Schema-only dump without owners, grants and Prisma's history table. Env PG_DUMP overrides the binary. */
export async function dumpSchema(databaseUrl: string): Promise<string> {
  const args = [
    '--schema-only',
    '--no-owner',
    '--no-privileges',
    '--exclude-table=_prisma_migrations',
  ];
  const { stdout } = await run(
    process.env.PG_DUMP ?? 'pg_dump',
    [...args, `--dbname=${databaseUrl}`],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout;
}

const HEADER = /^-- Name: (.*); Type: (.*); Schema: (.*); Owner: .*$/;

/** Splits a plain-format dump at its `-- Name: …; Type: …` headers; drops SET lines and comments. */
export function parseDump(dump: string): DumpEntry[] {
  const entries: DumpEntry[] = [];
  let current: { type: string; name: string; lines: string[] } | undefined;
  const flush = () => {
    if (current)
      entries.push({ type: current.type, name: current.name, sql: current.lines.join('\n') });
  };
  for (const line of dump.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      flush();
      const [, name = '', type = '', schema = ''] = header;
      current = { type, name: `${schema}.${name}`, lines: [] };
    } else if (current && isStatementLine(line)) {
      current.lines.push(line.trimEnd());
    }
  }
  flush();
  return entries;
}

function isStatementLine(line: string): boolean {
  const trimmed = line.trim();
  return (
    trimmed !== '' &&
    !trimmed.startsWith('--') &&
    !trimmed.startsWith('\\') && // \restrict <random key> (pg_dump >= 15.14) differs per run
    !trimmed.startsWith('SET ') &&
    !trimmed.startsWith('SELECT pg_catalog.set_config(')
  );
}

/** Filters ignored objects, sorts table columns / enum labels, and sorts the objects by key. */
export function normalizeEntries(entries: DumpEntry[], options: NormalizeOptions): DumpEntry[] {
  return entries
    .filter((entry) => !options.ignoreTypes.includes(entry.type))
    .filter((entry) => !(options.ignoreCheckConstraints && entry.type === 'CHECK CONSTRAINT'))
    .map((entry) => ({ ...entry, sql: sortBlockBody(entry.sql, options.ignoreCheckConstraints) }))
    .sort((a, b) => entryKey(a).localeCompare(entryKey(b)));
}

export function entryKey(entry: DumpEntry): string {
  return `${entry.type} ${entry.name}`;
}

/**
 * Column order is not schema: a column added by a later migration lands last in the table while
 * schema.prisma may list it anywhere. Same for enum labels. So the body of a multi-line
 * `CREATE TABLE … (` / `CREATE TYPE … AS ENUM (` is compared as a sorted set of lines.
 */
function sortBlockBody(sql: string, dropChecks: boolean): string {
  const lines = sql.split('\n');
  const open = lines.findIndex((line) => /^CREATE (TABLE|TYPE) .*\($/.test(line));
  const close = lines.findIndex((line, i) => i > open && /^\)/.test(line));
  if (open < 0 || close < 0) return sql;
  const body = lines
    .slice(open + 1, close)
    .map((line) => line.trim().replace(/,$/, ''))
    .filter((line) => !(dropChecks && /^CONSTRAINT \S+ CHECK /.test(line)))
    .sort();
  return [
    ...lines.slice(0, open + 1),
    ...body.map((line) => `    ${line}`),
    ...lines.slice(close),
  ].join('\n');
}

/** Human-readable difference between two normalized entry lists; '' when they are equal. */
export function diffEntries(
  left: DumpEntry[],
  right: DumpEntry[],
  labels: [string, string],
): string {
  const leftMap = new Map(left.map((entry) => [entryKey(entry), entry.sql]));
  const rightMap = new Map(right.map((entry) => [entryKey(entry), entry.sql]));
  const keys = [...new Set([...leftMap.keys(), ...rightMap.keys()])].sort();
  const out: string[] = [];
  for (const key of keys) {
    const a = leftMap.get(key);
    const b = rightMap.get(key);
    if (a === b) continue;
    if (b === undefined) out.push(`only in ${labels[0]}: ${key}`, prefix('- ', a ?? ''));
    else if (a === undefined) out.push(`only in ${labels[1]}: ${key}`, prefix('+ ', b));
    else out.push(`differs: ${key} (- ${labels[0]}, + ${labels[1]})`, lineDiff(a, b));
  }
  return out.join('\n');
}

function prefix(mark: string, text: string): string {
  return text
    .split('\n')
    .map((line) => mark + line)
    .join('\n');
}

function lineDiff(a: string, b: string): string {
  const aLines = a.split('\n');
  const bLines = b.split('\n');
  const removed = aLines.filter((line) => !bLines.includes(line)).map((line) => `- ${line}`);
  const added = bLines.filter((line) => !aLines.includes(line)).map((line) => `+ ${line}`);
  return [...removed, ...added].join('\n');
}
