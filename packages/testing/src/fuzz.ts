// Fuzzing a running service over every route its /openapi.json documents (the documents are
// built from the routes' zod schemas): path parameters, query parameters and JSON bodies get
// either a value their schema accepts or a hostile one (NUL bytes, lone surrogates, huge or
// fractional numbers, 36-character non-UUIDs, very long text, wrong types). A request must
// never answer 5xx, and one answered 4xx must change nothing in the database.
import fc from 'fast-check';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
};

interface Operation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

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

/** Strings that broke PostgreSQL, Prisma or the parsers before (or are likely to). */
const HOSTILE_STRINGS = [
  '\u0000',
  'office\u0000name',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '',
  ' ',
  'a'.repeat(5000),
  '0'.repeat(36),
  '-'.repeat(36),
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  '00000000-0000-0000-0000-00000000000g',
  '99999999999999999999999999',
  '2147483648',
  '9223372036854775808',
  '-1',
  '1e309',
  'NaN',
  '0x10',
  '0000-01-01',
  '2025-02-30',
  '9999-12-31T23:59:59Z',
  '-000001-01-01T00:00:00Z',
  "'; DROP TABLE donation; --",
  '<script>alert(1)</script>',
  '=HYPERLINK("x")',
  '💸🧒',
  'ÄÖÜ мінск',
  '../../etc/passwd',
];

const HOSTILE_NUMBERS = [
  0,
  -1,
  0.5,
  -0,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  -(2 ** 63),
];

/** Numbers as text, for ids, cursors and line numbers: past INT4, INT8 and the safe range. */
const HOSTILE_DIGITS = [
  '2147483648',
  '4294967296',
  '99999999999',
  '9007199254740993',
  '9223372036854775808',
  '99999999999999999999999999',
  '0',
  '-1',
];

export const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_DIGITS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, [], {}, [1, 2], { a: { b: 'c' } }) },
);

/** A value the JSON schema accepts (approximately: enough to get past validation often). */
export function fromSchema(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.constant('x');
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFromSchema(schema);
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? schema.exclusiveMinimum ?? 0, -1e9),
        max: Math.min(schema.maximum ?? 1e6, 1e9),
      });
    case 'number':
      return fc.integer({ min: Math.max(schema.minimum ?? 0, -1e9), max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 3 });
    case 'object':
      return objectFromSchema(schema, depth);
    default:
      return fc.constant('x');
  }
}

function stringFromSchema(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'email') return fc.constantFrom('donor@example.com', 'a.b@mts.by');
  if (schema.format === 'date') return fc.constantFrom('2025-03-01', '2026-01-31');
  if (schema.format === 'date-time') return fc.constantFrom('2025-03-01T10:00:00Z');
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length <= (schema.maxLength ?? 64) && s.length >= (schema.minLength ?? 0));
    } catch {
      return fc.constant('x');
    }
  }
  return fc.string({
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 30, 30),
  });
}

/** Each property: a valid value, a hostile one, or left out; sometimes an unknown key more. */
function objectFromSchema(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0 && schema.propertyNames) {
    return fc.dictionary(fromSchema(schema.propertyNames) as fc.Arbitrary<string>, fc.integer(), {
      maxKeys: 2,
    });
  }
  const required = new Set(schema.required ?? []);
  const fields = props.map(([name, s]) => {
    const choices: fc.WeightedArbitrary<unknown>[] = [
      { weight: 10, arbitrary: fromSchema(s, depth + 1) },
      { weight: 2, arbitrary: hostileValue },
      { weight: required.has(name) ? 1 : 6, arbitrary: fc.constant(undefined) },
    ];
    // Free text and numbers are where a valid-looking value reaches the database.
    if (isFreeText(s) || isNumeric(s))
      choices.push({ weight: 8, arbitrary: poisoned(fromSchema(s, depth + 1)) });
    return fc.oneof(...choices).map((v) => [name, v] as const);
  });
  const extraField = fc.oneof(
    { weight: 9, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: hostileValue },
  );
  return fc.tuple(fc.tuple(...fields), extraField).map(([kv, extra]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of kv) if (v !== undefined) out[k] = v;
    if (extra !== null) out.unexpectedField = extra;
    return out;
  });
}

const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type[0] : s.type);
const isFreeText = (s: JsonSchema): boolean =>
  (s.anyOf ?? []).some(isFreeText) ||
  (typeOf(s) === 'string' && !s.pattern && !s.enum && !s.format);
const isNumeric = (s: JsonSchema) => typeOf(s) === 'integer' || typeOf(s) === 'number';

/** A valid value with a NUL byte or a lone surrogate slipped in (strings), or pushed past INT4. */
function poisoned(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      valid,
      fc.constantFrom('\u0000', '\ud800', '\udfff'),
      fc.nat(),
      fc.constantFrom(...HOSTILE_NUMBERS),
    )
    .map(([v, bad, at, big]) => {
      if (typeof v === 'number') return big;
      if (typeof v !== 'string') return v;
      const i = at % (v.length + 1);
      return v.slice(0, i) + bad + v.slice(i);
    });
}

/**
 * Percent-encodes a path or query value byte by byte, so a lone surrogate arrives as the
 * invalid UTF-8 it would be on the wire (encodeURIComponent would throw instead).
 */
export function encodeRaw(value: string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += `%${(0xe0 | (cp >> 12)).toString(16)}%${(0x80 | ((cp >> 6) & 0x3f)).toString(16)}%${(0x80 | (cp & 0x3f)).toString(16)}`;
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
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
  const seed = options.seed ?? Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
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
