import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs; LOG_LEVEL=silent keeps test output readable. */
export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info' });
}
