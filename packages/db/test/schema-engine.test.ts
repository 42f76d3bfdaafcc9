import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diffSql } from '../src/schema-engine';
import { SVC } from './helpers';

const schema = readFileSync(path.join(SVC, 'src', 'db', 'schema.prisma'), 'utf8');

describe('diffSql (WASM schema engine, no database)', () => {
  it('creates every table, index and foreign key from an empty database', async () => {
    const sql = await diffSql({ toSchema: schema });
    expect(sql).toContain('CREATE TABLE "accounts" (');
    expect(sql).toContain('CREATE TABLE "entries" (');
    expect(sql).toMatch(/"id" BIGSERIAL NOT NULL/);
    expect(sql).toMatch(/"amount_minor" BIGINT NOT NULL/);
    expect(sql).toContain('CREATE UNIQUE INDEX "accounts_email_key" ON "accounts"("email");');
    expect(sql).toMatch(
      /ADD CONSTRAINT "entries_account_id_fkey" FOREIGN KEY \("account_id"\) REFERENCES "accounts"\("id"\)/,
    );
  });

  it('returns an empty string when both datamodels agree', async () => {
    await expect(diffSql({ fromSchema: schema, toSchema: schema })).resolves.toBe('');
  });

  it('diffs one datamodel to another', async () => {
    const next = schema.replace(
      '  note        String?',
      '  note        String?\n  reference   String? @unique',
    );
    expect(next).not.toBe(schema);
    const sql = await diffSql({ fromSchema: schema, toSchema: next });
    expect(sql).toMatch(/ALTER TABLE "entries" ADD COLUMN\s+"reference" TEXT;/);
    expect(sql).toContain('CREATE UNIQUE INDEX "entries_reference_key" ON "entries"("reference");');
    expect(sql).not.toContain('CREATE TABLE');
  });

  it("rejects an invalid datamodel with the engine's validation message", async () => {
    await expect(diffSql({ toSchema: 'model Broken { id Int @id\n  nonsense }' })).rejects.toThrow(
      /Error validating/,
    );
  });
});
