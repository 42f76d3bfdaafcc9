// Calls to the services made as a signed-in person: each carries a fresh person token for that
// service, so the service itself decides what the person's role and office allow.
import type { Person } from './people';
import { ApiUnavailable, call, upstreamHeaders, type ApiAnswer, type Apis } from './api';
import { PersonTokenSigner } from './person-token';

export type ServiceName = 'payment' | 'ledger' | 'reward';
export interface PersonApi {
  /** JSON call as the person; resolves ApiAnswer<T> (see app/api.ts) — non-2xx is NOT thrown,
   *  the caller shows answer.detail; throws ApiUnavailable when the service cannot be reached. */
  call<T = unknown>(
    service: ServiceName,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<ApiAnswer<T>>;
  /** Raw pass-through for downloads, SSE and uploads (CSV/PDF, text/event-stream, text/csv body). */
  raw(service: ServiceName, path: string, init?: RequestInit): Promise<Response>;
}

const signers = new WeakMap<Apis, PersonTokenSigner>();

/** The signer for these APIs (one per web service; the key is parsed once). */
export function personTokenSigner(apis: Apis): PersonTokenSigner {
  let signer = signers.get(apis);
  if (!signer) {
    const { key, issuer } = apis.personTokenKey();
    if (!key) throw new ApiUnavailable('PERSON_TOKEN_PRIVATE_KEY is not configured');
    signer = new PersonTokenSigner(key, issuer);
    signers.set(apis, signer);
  }
  return signer;
}

export function personApi(apis: Apis, person: Person): PersonApi {
  const signer = personTokenSigner(apis);
  const auth = async (service: ServiceName) => ({
    authorization: `Bearer ${await signer.sign(person, service)}`,
  });
  return {
    async call<T>(
      service: ServiceName,
      method: string,
      path: string,
      body?: unknown,
    ): Promise<ApiAnswer<T>> {
      return call<T>(`${apis.baseUrl(service)}${path}`, {
        method,
        headers: {
          ...(await auth(service)),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    async raw(service, path, init = {}) {
      const headers = new Headers(init.headers);
      for (const [k, v] of Object.entries({ ...upstreamHeaders(), ...(await auth(service)) }))
        headers.set(k, v);
      try {
        return await fetch(`${apis.baseUrl(service)}${path}`, { ...init, headers });
      } catch (err) {
        throw new ApiUnavailable(`${service} cannot be reached: ${String(err)}`);
      }
    },
  };
}
