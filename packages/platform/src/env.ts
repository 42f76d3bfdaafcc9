import { z } from 'zod';
import { ApiKeyRecordSchema, type ApiKeyRecord } from './auth';

export class ConfigError extends Error {}

/** Reads typed configuration from the environment; a missing or bad variable is named plainly. */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** API keys from API_KEYS (a JSON array of {id,name,role,officeId?,sha256}). */
export function parseApiKeys(json: string | undefined): ApiKeyRecord[] {
  if (!json) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError(
      'API_KEYS is not valid JSON (expected an array of {id,name,role,officeId?,sha256}).',
    );
  }
  const result = z.array(ApiKeyRecordSchema).safeParse(raw);
  if (!result.success)
    throw new ConfigError(
      `API_KEYS: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return result.data;
}
