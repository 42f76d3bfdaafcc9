// People's sessions: a random id in an HttpOnly, SameSite=Lax cookie (Secure over https), the
// session itself on the server (see SessionStore), idle and absolute timeouts, and the guard
// console pages use. The role is looked up in the people table on every request, so a role an
// admin takes away is gone at the person's next click.
import { randomBytes } from 'node:crypto';
import { forbidden, unauthorized } from '@bfi/http';
import type { Request, RequestHandler, Response } from 'express';
import type { PeopleTable, Person, PersonRole, SignedInClaims } from '../app/people';
import { signinPages } from '../views/signin';
import { pageContext, sendPage } from './context';

// Who a person is belongs to app/ (people.ts); the session layer carries it.
export type { Person, PersonRole } from '../app/people';

/** A sign-in under way: what the callback must find again (state, nonce, PKCE verifier). */
export interface PendingSignin {
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
}

export interface Session {
  id: string;
  csrfToken: string;
  /** When the person signed in (or the session began): the absolute timeout counts from here. */
  createdAt: number;
  lastSeenAt: number;
  claims?: SignedInClaims;
  /** Kept for RP-initiated logout (id_token_hint). */
  idToken?: string;
  pending?: PendingSignin;
}

export const SESSION_COOKIE = 'bfi_session';

/**
 * Sessions in this process's memory. Chosen over a persisted store because the web app has no
 * database of its own and a session is cheap to make again (one redirect to the provider, which
 * keeps its own session): a restart signs people out, and the app must run as one replica
 * (or with sticky sessions) — see docs/DEPLOY.md.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    readonly idleMs: number,
    readonly absoluteMs: number,
  ) {
    this.sweep = setInterval(() => this.dropExpired(Date.now()), 60_000);
    this.sweep.unref();
  }

  create(): Session {
    const now = Date.now();
    const session: Session = { id: token(), csrfToken: token(), createdAt: now, lastSeenAt: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, touched; an expired one is deleted and not returned. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = Date.now();
    if (this.expired(session, now)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  close(): void {
    clearInterval(this.sweep);
  }

  private expired(s: Session, now: number): boolean {
    return now - s.lastSeenAt > this.idleMs || now - s.createdAt > this.absoluteMs;
  }

  private dropExpired(now: number): void {
    for (const [id, s] of this.sessions) if (this.expired(s, now)) this.sessions.delete(id);
  }
}

function token(): string {
  return randomBytes(32).toString('base64url');
}

export interface SessionDeps {
  store: SessionStore;
  people: PeopleTable;
  cookieSecure: 'auto' | 'true' | 'false';
  counsellingUrl: string;
}

const DEPS = Symbol('signin');
type WithDeps = { [DEPS]?: SessionDeps };

/** Makes the session of each request available (mounted once, before every router). */
export function sessions(deps: SessionDeps): RequestHandler {
  return (req, res, next) => {
    (req as Request & WithDeps)[DEPS] = deps;
    next();
  };
}

function depsOf(req: Request): SessionDeps {
  const deps = (req as Request & WithDeps)[DEPS];
  if (!deps) throw new Error('the sessions middleware is not mounted');
  return deps;
}

export function sessionOf(req: Request): Session | undefined {
  return depsOf(req).store.get(cookieValue(req.headers.cookie, SESSION_COOKIE));
}

/** The session of this request, made (and its cookie set) if it has none. */
export function ensureSession(req: Request, res: Response): Session {
  return sessionOf(req) ?? startSession(req, res);
}

/** A new session (a new id: after sign-in the old id is worthless, no session fixation). */
export function startSession(req: Request, res: Response, previous?: Session): Session {
  const deps = depsOf(req);
  if (previous) deps.store.destroy(previous.id);
  const session = deps.store.create();
  res.cookie(SESSION_COOKIE, session.id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.cookieSecure === 'auto' ? req.secure : deps.cookieSecure === 'true',
    path: '/',
    maxAge: deps.store.absoluteMs,
  });
  return session;
}

export function endSession(req: Request, res: Response, session: Session): void {
  depsOf(req).store.destroy(session.id);
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** The signed-in person of this session with the role the people table gives now, if any. */
export function personOfSession(
  req: Request,
  session: Session | undefined,
): Person | 'no-role' | undefined {
  if (!session?.claims) return undefined;
  return depsOf(req).people.resolve(session.claims) ?? 'no-role';
}

/**
 * Page/route guard. No session → 302 to /signin?next=<path> (HTML) or 401 problem+json (JSON);
 * role not allowed → 403 page in the person's language. admin always passes.
 * Sets res.locals.person (Person) and res.locals.csrfToken (string).
 */
export function requirePerson(...roles: PersonRole[]): RequestHandler {
  return (req, res, next) => {
    const session = sessionOf(req);
    const person = personOfSession(req, session);
    const wantsHtml = (req.get('accept') ?? '').includes('text/html');
    if (!person || !session) {
      if (!wantsHtml) return next(unauthorized('Sign in first (your session has ended).'));
      return res.redirect(302, `/signin?next=${encodeURIComponent(req.originalUrl)}`);
    }
    res.locals.csrfToken = session.csrfToken;
    if (person === 'no-role' || (person.role !== 'admin' && !roles.includes(person.role))) {
      if (!wantsHtml) return next(forbidden('Your role does not allow this.'));
      if (person !== 'no-role') res.locals.person = person; // the header shows who is refused
      const ctx = pageContext(req, res, depsOf(req).counsellingUrl);
      const page = signinPages(ctx);
      return sendPage(res, 403, person === 'no-role' ? page.noRole() : page.wrongRole());
    }
    res.locals.person = person;
    next();
  };
}

/** The signed-in person of this request (after requirePerson). */
export function personOf(res: Response): Person {
  const person = res.locals.person as Person | undefined;
  if (!person) throw new Error('personOf() used on a route without requirePerson()');
  return person;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
