// The contract of CONSOLES.md as the office console uses it: signin's person and PersonApi.
export type { PersonApi, ServiceName } from './person-api';
export type { Person, PersonRole } from './people';
