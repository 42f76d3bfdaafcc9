// The values the fuzzer (fuzz.ts) sends: for a JSON schema, a value it accepts, a valid one
// with a NUL byte or lone surrogate slipped in, or a hostile one (huge or fractional numbers,
// 36-character non-UUIDs, very long text, wrong types).
import fc from 'fast-check';

export type JsonSchema = {
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

export interface Operation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
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

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
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
