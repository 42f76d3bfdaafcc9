// Who may do what: a person's role comes from the people table an admin edits at /admin/people,
// or else from the provider's role claims (bfi_role / bfi_office). The table is a JSON file
// (PEOPLE_FILE), written whole to a temporary file and renamed, so it survives a restart and a
// crash mid-write; without PEOPLE_FILE it lives in memory only (a test or a demo).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** A signed-in person: who they are and what they may do. */
export type PersonRole = 'admin' | 'finance' | 'office-staff';
export interface Person {
  sub: string; // the IdP subject
  name: string; // display name
  email?: string;
  role: PersonRole;
  officeId?: string; // set for office-staff only
}

/** What the provider told us about the person at sign-in. */
export interface SignedInClaims {
  sub: string;
  name: string;
  email?: string;
  /** The role and office claims as the provider sent them (not yet trusted). */
  claimRole?: string;
  claimOffice?: string;
}

export const ROLES: readonly PersonRole[] = ['admin', 'finance', 'office-staff'];
const RoleOrNone = z.enum(['admin', 'finance', 'office-staff', 'none']);

const Entry = z.object({
  /** The person's e-mail or provider subject, as the admin typed it (lower case). */
  who: z.string().min(1).max(200),
  role: RoleOrNone,
  officeId: z.string().min(1).max(100).optional(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type PeopleEntry = z.infer<typeof Entry>;

const Seen = z.object({
  sub: z.string(),
  name: z.string(),
  email: z.string().optional(),
  lastSignIn: z.string(),
});
export type SeenPerson = z.infer<typeof Seen>;

const FileShape = z.object({
  entries: z.array(Entry).default([]),
  seen: z.array(Seen).default([]),
});

export class PeopleTable {
  private entries: PeopleEntry[] = [];
  private seen: SeenPerson[] = [];

  constructor(private readonly file?: string) {
    if (!file) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return; // no table yet: the first save makes it
    }
    const data = FileShape.parse(JSON.parse(text));
    this.entries = data.entries;
    this.seen = data.seen;
  }

  /** The person with the role they have now; undefined when they have none. */
  resolve(claims: SignedInClaims): Person | undefined {
    const entry = this.entryFor(claims);
    const role = entry ? entry.role : claims.claimRole;
    const officeId = entry ? entry.officeId : claims.claimOffice;
    if (!isRole(role)) return undefined;
    if (role === 'office-staff' && !officeId) return undefined;
    return {
      sub: claims.sub,
      name: claims.name,
      email: claims.email,
      role,
      officeId: role === 'office-staff' ? officeId : undefined,
    };
  }

  entryFor(claims: { sub: string; email?: string }): PeopleEntry | undefined {
    const keys = [claims.sub.toLowerCase(), claims.email?.toLowerCase()].filter(Boolean);
    return this.entries.find((e) => keys.includes(e.who));
  }

  list(): { entries: PeopleEntry[]; seen: SeenPerson[] } {
    return { entries: [...this.entries], seen: [...this.seen] };
  }

  /** Sets (or replaces) the role of `who`; role 'none' takes every role away. */
  set(
    input: { who: string; role: PeopleEntry['role']; officeId?: string },
    by: string,
  ): PeopleEntry {
    const entry: PeopleEntry = {
      who: input.who.trim().toLowerCase(),
      role: input.role,
      officeId: input.role === 'office-staff' ? input.officeId : undefined,
      updatedAt: new Date().toISOString(),
      updatedBy: by,
    };
    this.entries = [...this.entries.filter((e) => e.who !== entry.who), entry];
    this.save();
    return entry;
  }

  remove(who: string): void {
    this.entries = this.entries.filter((e) => e.who !== who.trim().toLowerCase());
    this.save();
  }

  /** Remembers who signed in (so an admin can give a role to someone who was refused). */
  noteSignIn(claims: SignedInClaims): void {
    const seen: SeenPerson = {
      sub: claims.sub,
      name: claims.name,
      email: claims.email,
      lastSignIn: new Date().toISOString(),
    };
    this.seen = [seen, ...this.seen.filter((s) => s.sub !== claims.sub)].slice(0, 200);
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ entries: this.entries, seen: this.seen }, null, 2), {
      mode: 0o600,
    });
    renameSync(tmp, this.file);
  }
}

export function isRole(value: unknown): value is PersonRole {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
