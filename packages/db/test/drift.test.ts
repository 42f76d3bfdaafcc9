import { Client } from 'pg';
import { checkDrift, expectNoDrift } from '../src/drift';
import { normalizeEntries, parseDump, HAND_WRITTEN_TYPES, diffEntries } from '../src/pg-dump';
import { adminUrl } from '../src/test-db';
import { SVC, SVC_DRIFT } from './helpers';

describe('checkDrift', () => {
  it('is ok when the migrations build what schema.prisma declares (hand-written trigger, CHECK and reordered column included)', async () => {
    await expect(checkDrift(SVC)).resolves.toEqual({ ok: true, diff: '' });
    await expect(expectNoDrift(SVC)).resolves.toBeUndefined();
  });

  it('reports a column schema.prisma declares but no migration creates', async () => {
    const result = await checkDrift(SVC_DRIFT);
    expect(result.ok).toBe(false);
    expect(result.diff).toContain('differs: TABLE public.accounts');
    expect(result.diff).toContain('+     display_name text');
    await expect(expectNoDrift(SVC_DRIFT)).rejects.toThrow(/display_name/);
  });

  it('compares hand-written objects too when told not to ignore them', async () => {
    const result = await checkDrift(SVC, { ignoreTypes: [], ignoreCheckConstraints: false });
    expect(result.ok).toBe(false);
    expect(result.diff).toContain('only in migrations: FUNCTION public.entries_forbid_rewrite()');
    expect(result.diff).toContain('only in migrations: TRIGGER public.entries entries_append_only');
    expect(result.diff).toContain('CONSTRAINT entries_amount_nonzero CHECK');
  });

  it('leaves no databases behind', async () => {
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'drift\\_svc\\_%'",
      );
      expect(rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});

describe('dump normalization', () => {
  const dump = (body: string, key: string) => `--
-- PostgreSQL database dump
--

\\restrict ${key}

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

--
-- Name: t; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.t (
${body}
);


--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.f() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NULL; END; $$;

\\unrestrict ${key}
`;
  const options = { ignoreTypes: HAND_WRITTEN_TYPES, ignoreCheckConstraints: true };
  const normalized = (text: string) => normalizeEntries(parseDump(text), options);

  it('ignores column order, CHECK constraints, functions and the random \\restrict key', () => {
    const a = dump(
      "    id bigint NOT NULL,\n    b text,\n    CONSTRAINT t_b_check CHECK ((b <> ''::text))",
      'AAA',
    );
    const b = dump('    b text,\n    id bigint NOT NULL', 'BBB');
    expect(normalized(a)).toEqual(normalized(b));
    expect(normalized(a)).toEqual([
      {
        type: 'TABLE',
        name: 'public.t',
        sql: 'CREATE TABLE public.t (\n    b text\n    id bigint NOT NULL\n);',
      },
    ]);
  });

  it('still sees a changed column type', () => {
    const a = normalized(dump('    id bigint NOT NULL', 'A'));
    const b = normalized(dump('    id integer NOT NULL', 'A'));
    expect(diffEntries(a, b, ['left', 'right'])).toBe(
      'differs: TABLE public.t (- left, + right)\n-     id bigint NOT NULL\n+     id integer NOT NULL',
    );
  });
});
