// The web's person-token key pair for a local run: made once and kept in the data folder (so
// a restart keeps tokens verifiable); the services get the public half, the web the private.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PersonTokenKeys {
  privateKey: string;
  publicKey: string;
}

export function loadOrCreatePersonTokenKeys(file: string): PersonTokenKeys {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as PersonTokenKeys;
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys: PersonTokenKeys = {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** What each service needs to accept the web's person tokens. */
export function servicePersonTokenEnv(keys: PersonTokenKeys): Record<string, string> {
  return { PERSON_TOKEN_PUBLIC_KEY: keys.publicKey };
}
