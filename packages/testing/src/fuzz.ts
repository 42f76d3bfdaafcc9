// Fuzzing a running service over every route its /openapi.json documents (the documents are
// built from the routes' zod schemas): path parameters, query parameters and JSON bodies get
// either a value their schema accepts or a hostile one (fuzz-values.ts). A request must never
// answer 5xx, and one answered 4xx must change nothing in the database.
import fc from 'fast-check';
import { encodeRaw, fromSchema, hostileString, hostileValue, type Operation } from './fuzz-values';

export interface FuzzRequest {
  method: string;
  route: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzFinding {
  request: FuzzRequest;
  status: number;
  detail: string;
}

export interface FuzzOptions {
  /** The service's OpenAPI document (GET /openapi.json). */
  openapi: { paths: Record<string, Record<string, Operation>> };
  /** Known-good values for path parameters by name (existing ids), tried as often as hostile ones. */
  knownParams?: Record<string, string[]>;
  /** Authorization header values to send (one is picked per request; undefined = none). */
  authorizations: (string | undefined)[];
  /** Extra headers for a route, e.g. an Idempotency-Key. */
  headersFor?: (route: string, method: string) => fc.Arbitrary<Record<string, string>>;
  /** Routes to leave out (streams, which never end). */
  skip?: (route: string, method: string) => boolean;
}

/** Inlines `{ $ref: "#/components/…" }` (the documents name shared schemas that way). */
function deref(node: unknown, root: unknown, depth = 0): unknown {
  if (depth > 20 || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => deref(n, root, depth + 1));
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], root);
    return deref(target, root, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(v, root, depth + 1)]));
}

/** Readiness answers 503 by design when a dependency is down (here: no consumer started). */
const PROBES = ['/healthz', '/readyz', '/metrics'];

/** One arbitrary per documented operation, each over that operation's requests. */
export function requestsOf(options: FuzzOptions): fc.Arbitrary<FuzzRequest>[] {
  const ops: fc.Arbitrary<FuzzRequest>[] = [];
  const paths = deref(options.openapi.paths, options.openapi) as FuzzOptions['openapi']['paths'];
  for (const [route, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      if (options.skip?.(route, method) || PROBES.includes(route)) continue;
      ops.push(operationRequests(options, route, method.toUpperCase(), op));
    }
  }
  return ops;
}

function operationRequests(
  options: FuzzOptions,
  route: string,
  method: string,
  op: Operation,
): fc.Arbitrary<FuzzRequest> {
  const names = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const pathValues = fc.tuple(
    ...names.map((name) => {
      const known = options.knownParams?.[name] ?? [];
      return known.length > 0
        ? fc.oneof(fc.constantFrom(...known), hostileString, fc.uuid())
        : fc.oneof(hostileString, fc.uuid(), fc.constantFrom('minsk-1', 'a'));
    }),
  );
  const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
  const query = fc.tuple(
    ...queryParams.map((p) =>
      fc
        .oneof(
          { weight: 3, arbitrary: fc.constant(null) },
          { weight: 2, arbitrary: fromSchema(p.schema) },
          { weight: 1, arbitrary: hostileValue },
        )
        .map((v) => [p.name, v]),
    ),
  );
  const schema = op.requestBody?.content?.['application/json']?.schema;
  const body = schema
    ? fc.oneof({ weight: 8, arbitrary: fromSchema(schema) }, { weight: 1, arbitrary: hostileValue })
    : fc.constant(undefined);
  return fc
    .record({
      pathValues,
      query,
      body,
      auth: fc.constantFrom(...options.authorizations),
      extra: options.headersFor?.(route, method) ?? fc.constant({}),
    })
    .map(({ pathValues: values, query: q, body: b, auth, extra }) => {
      let path = route;
      names.forEach((name, i) => {
        path = path.replace(`{${name}}`, encodeRaw(String(values[i])));
      });
      const qs = q
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => `${k}=${encodeRaw(typeof v === 'string' ? v : JSON.stringify(v))}`)
        .join('&');
      const headers: Record<string, string> = { ...extra };
      if (auth) headers.authorization = auth;
      if (b !== undefined) headers['content-type'] = 'application/json';
      return {
        method,
        route,
        path: qs ? `${path}?${qs}` : path,
        headers,
        body: b === undefined ? undefined : JSON.stringify(b),
      };
    });
}

/**
 * Sends `runsPerRoute` generated requests of each operation, one after another; returns every
 * 5xx, and every 4xx after which `fingerprint()` (row counts of all tables) differs from before.
 * FUZZ_SEED replays a run (the seed is in every finding).
 */
export async function fuzzService(
  base: string,
  operations: fc.Arbitrary<FuzzRequest>[],
  options: { runsPerRoute: number; seed?: number; fingerprint?: () => Promise<string> },
): Promise<{ findings: FuzzFinding[]; changedOn4xx: FuzzFinding[]; sent: number }> {
  // CI replays one fixed seed, so a red build is always reproducible; a developer's runs
  // explore new inputs each time. FUZZ_SEED replays either.
  const fallback = process.env.CI ? 42 : Date.now() % 2 ** 31;
  const seed = options.seed ?? Number(process.env.FUZZ_SEED ?? fallback);
  const requests = operations.flatMap((op, i) =>
    fc.sample(op, { numRuns: options.runsPerRoute, seed: seed + i }),
  );
  const findings: FuzzFinding[] = [];
  const changedOn4xx: FuzzFinding[] = [];
  for (const request of requests) {
    const before = options.fingerprint ? await options.fingerprint() : '';
    const res = await fetch(base + request.path, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    // A live stream that opened is fine: leave it (its own tests cover it).
    const stream = res.headers.get('content-type')?.startsWith('text/event-stream');
    const text = stream ? (await res.body?.cancel(), '') : await res.text();
    const detail = `${text.slice(0, 300)} (FUZZ_SEED=${seed})`;
    if (res.status >= 500) findings.push({ request, status: res.status, detail });
    else if (res.status >= 400 && options.fingerprint && (await options.fingerprint()) !== before)
      changedOn4xx.push({ request, status: res.status, detail });
  }
  return { findings, changedOn4xx, sent: requests.length };
}

/** Row counts of every table of the connected database: what a refused request must not change. */
export async function tableCounts(db: {
  $queryRawUnsafe<T>(sql: string): Promise<T>;
}): Promise<string> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('_prisma_migrations') ORDER BY 1",
  );
  if (tables.length === 0) return '';
  const sql = tables
    .map((t) => `SELECT '${t.name}' AS t, count(*)::int AS n FROM ${t.name}`)
    .join(' UNION ALL ');
  const rows = await db.$queryRawUnsafe<{ t: string; n: number }[]>(sql);
  return rows.map((r) => `${r.t}=${r.n}`).join(',');
}

/** One line per finding, for a failure message a person can act on. */
export function describeFindings(findings: FuzzFinding[]): string {
  if (findings.length === 0) return '';
  const seen = new Set<string>();
  return `${findings.length} request(s):\n${findings
    .filter((f) => {
      const key = `${f.request.method} ${f.request.route} ${f.status}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(
      (f) =>
        `${f.status} ${f.request.method} ${f.request.path.slice(0, 200)} body=${(f.request.body ?? '').slice(0, 200)} → ${f.detail}`,
    )
    .join('\n')}`;
}

/**
 * The whole check of a service's fuzz test: every documented operation, `runsPerRoute` times;
 * the 5xx answers and the 4xx answers that changed the database, described (empty = none).
 */
export async function fuzzOpenApi(
  base: string,
  options: FuzzOptions & { runsPerRoute: number; fingerprint: () => Promise<string> },
): Promise<{ sent: number; operations: number; serverErrors: string; changedOn4xx: string }> {
  const operations = requestsOf(options);
  const result = await fuzzService(base, operations, options);
  return {
    sent: result.sent,
    operations: operations.length,
    serverErrors: describeFindings(result.findings),
    changedOn4xx: describeFindings(result.changedOn4xx),
  };
}
