// The PersonApi contract of CONSOLES.md, declared here until signin's app/person-api.ts is
// merged (then this file only re-exports it).
import type { ApiAnswer } from './api';

export type ServiceName = 'payment' | 'ledger' | 'reward';

export interface PersonApi {
  call<T = unknown>(
    service: ServiceName,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<ApiAnswer<T>>;
  raw(service: ServiceName, path: string, init?: RequestInit): Promise<Response>;
}

// The signed-in person of CONSOLES.md (signin's http/session.ts), as the console uses it.
export type PersonRole = 'admin' | 'finance' | 'office-staff';
export interface Person {
  sub: string;
  name: string;
  email?: string;
  role: PersonRole;
  officeId?: string;
}
