import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateApiKey, hashApiKey, type ApiKeyRecord } from '@bfi/http';
import { DEMO_OFFICES } from './demo-offices';

export { DEMO_OFFICES };

export interface DemoKeys {
  admin: string;
  finance: string;
  staff: Record<string, string>;
}

/**
 * API keys for the demo: made once and kept in the data folder so they survive a restart.
 * Only their SHA-256 reaches the services, exactly as in production.
 */
export function loadOrCreateDemoKeys(file: string): DemoKeys {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoKeys;
  const keys: DemoKeys = {
    admin: generateApiKey(),
    finance: generateApiKey(),
    staff: Object.fromEntries(DEMO_OFFICES.map((o) => [o.id, generateApiKey()])),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

export function keyRecords(keys: DemoKeys): ApiKeyRecord[] {
  return [
    { id: 'demo-admin', name: 'Demo admin', role: 'admin', sha256: hashApiKey(keys.admin) },
    {
      id: 'demo-finance',
      name: 'UNICEF finance (demo)',
      role: 'finance',
      sha256: hashApiKey(keys.finance),
    },
    ...Object.entries(keys.staff).map(([officeId, key]) => ({
      id: `demo-staff-${officeId}`,
      name: `Staff of ${officeId}`,
      role: 'office-staff' as const,
      officeId,
      sha256: hashApiKey(key),
    })),
  ];
}
