// Prisma's schema engine, offline. The native engine (what `prisma migrate diff` runs) cannot be
// downloaded here, so we drive the WASM build (@prisma/schema-engine-wasm) ourselves, and only for
// `diff` between datamodel texts: that needs no database at all.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface DiffInput {
  /** Datamodel text to start from; omitted = an empty database. */
  fromSchema?: string;
  /** Datamodel text to arrive at. */
  toSchema: string;
}

// Our lib setting (ES2023, no DOM) has no WebAssembly types; the slice used here.
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(
    module: object,
    imports: Record<string, object>,
  ): Promise<{ exports: Record<string, unknown> }>;
};

const ENGINE_MODULE = '@prisma/schema-engine-wasm/schema_engine_bg';
const NO_FILTERS = { externalTables: [], externalEnums: [] };
const SCHEMA_FILE = 'schema.prisma';

/**
 * SQL script that turns `fromSchema` (or an empty database) into `toSchema`; '' when they agree.
 *
 * Under Jest the engine runs in a child process: its glue is an ES module (importing a .wasm
 * file) that Jest's CommonJS module system cannot load, while a plain Node process (with tsx for
 * this package's TypeScript) can. Elsewhere (tsx, the CLI) it runs in this process.
 */
export async function diffSql(input: DiffInput): Promise<string> {
  if (process.env.JEST_WORKER_ID === undefined) return diffInProcess(input);
  const stdout = await runWorker(JSON.stringify(input));
  const parsed: unknown = JSON.parse(stdout);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as { sql?: unknown }).sql !== 'string'
  ) {
    throw new Error(`schema engine worker returned unexpected output: ${stdout.slice(0, 500)}`);
  }
  return (parsed as { sql: string }).sql;
}

function runWorker(stdin: string): Promise<string> {
  const worker = path.join(__dirname, 'schema-engine-worker.ts');
  // tsx's loader registers both its ESM and CommonJS hooks; resolved to a file URL so the child
  // does not depend on its working directory.
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, worker], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else
        reject(
          new Error(
            `schema engine diff failed (exit ${code}):\n${Buffer.concat(err).toString('utf8')}`,
          ),
        );
    });
    child.stdin.end(stdin);
  });
}

/** Same as `diffSql`, in this process. Needs real Node module loading (tsx or node), not Jest's. */
export async function diffInProcess(input: DiffInput): Promise<string> {
  const runtime = await loadSchemaEngine();
  const engine = await runtime.SchemaEngine.new(
    { datamodels: [[SCHEMA_FILE, input.toSchema]] },
    () => undefined, // engine log lines (JSON); nothing in them we need
    offlineAdapterFactory(),
  );
  try {
    const result = await engine.diff({
      from:
        input.fromSchema === undefined
          ? { tag: 'empty' }
          : { tag: 'schemaDatamodel', files: [{ path: SCHEMA_FILE, content: input.fromSchema }] },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_FILE, content: input.toSchema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return normalizeEmptyScript(result.stdout ?? '');
  } finally {
    engine.free();
  }
}

/** The engine answers "no difference" with a comment line; callers want ''. */
function normalizeEmptyScript(sql: string): string {
  const meaningful = sql
    .split('\n')
    .some((line) => line.trim() !== '' && !line.trim().startsWith('--'));
  return meaningful ? sql : '';
}

type EngineRuntime = Awaited<ReturnType<typeof importRuntime>>;

function importRuntime() {
  return import('@prisma/schema-engine-wasm/schema_engine_bg');
}

let loaded: Promise<EngineRuntime> | undefined;

/**
 * Instantiates the engine by hand, as ENVIRONMENT.md describes: the package's own entry does
 * `import * as wasm from "./x.wasm"`, which Node cannot do, so we import the JS glue, build the
 * instance from the .wasm bytes with the glue as its import object, and hand the exports back.
 */
export function loadSchemaEngine(): Promise<EngineRuntime> {
  loaded ??= instantiate();
  return loaded;
}

async function instantiate(): Promise<EngineRuntime> {
  // The glue reports Rust panics through this global; without it a panic turns into a TypeError.
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message: string) {
      process.stderr.write(`schema engine panic: ${message}\n`);
    },
  };
  const runtime = await importRuntime();
  const wasmFile = path.join(path.dirname(require.resolve(ENGINE_MODULE)), 'schema_engine_bg.wasm');
  const module = await WebAssembly.compile(await readFile(wasmFile));
  const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': runtime });
  runtime.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return runtime;
}

// ---- a driver adapter that never connects --------------------------------------------------
// `SchemaEngine.new` insists on an adapter and asks the database for its version once; `diff`
// between two datamodels never touches it again. Answering that one probe keeps diff offline.

type AdapterResult<T> =
  { ok: true; value: T } | { ok: false; error: { kind: 'GenericJs'; id: number } };

/** The server version the engine is told it targets (affects nothing in plain DDL we generate). */
const ASSUMED_SERVER = { version: 'PostgreSQL 15.0', numeric: 150000 };
const COLUMN_BOOLEAN = 5;
const COLUMN_TEXT = 7;
const COLUMN_INT32 = 0;

function offlineAdapterFactory() {
  const errors: Array<{ error: Error }> = [];
  const fail = (what: string): AdapterResult<never> => {
    errors.push({ error: new Error(`offline schema engine has no database (${what})`) });
    return { ok: false, error: { kind: 'GenericJs', id: errors.length - 1 } };
  };
  const adapter = {
    adapterName: 'bfi-offline',
    provider: 'postgres',
    errorRegistry: { consumeError: (id: number) => errors[id] },
    queryRaw: async (query: { sql: string }): Promise<AdapterResult<unknown>> =>
      query.sql.includes('server_version_num')
        ? { ok: true, value: versionProbeAnswer() }
        : fail(query.sql),
    executeRaw: async (query: { sql: string }) => fail(query.sql),
    executeScript: async () => fail('executeScript'),
    startTransaction: async () => fail('startTransaction'),
    dispose: async (): Promise<AdapterResult<undefined>> => ({ ok: true, value: undefined }),
  };
  return {
    adapterName: adapter.adapterName,
    provider: adapter.provider,
    errorRegistry: adapter.errorRegistry,
    connect: async (): Promise<AdapterResult<typeof adapter>> => ({ ok: true, value: adapter }),
    connectToShadowDb: async () => fail('shadow database'),
  };
}

function versionProbeAnswer() {
  return {
    columnNames: ['exists', 'version', 'numeric_version'],
    columnTypes: [COLUMN_BOOLEAN, COLUMN_TEXT, COLUMN_INT32],
    rows: [[true, ASSUMED_SERVER.version, ASSUMED_SERVER.numeric]],
  };
}
