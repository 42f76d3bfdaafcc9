import fs from 'node:fs';
import { LONG } from './scale';

/**
 * One line of JSON per scenario on stdout (console.log), so the figures can be quoted as they
 * are; appended to E2E_SUMMARY_FILE as well when that is set.
 */
export function printSummary(scenario: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ scenario, scale: LONG ? 'long' : 'short', ...figures });
  console.log(line);
  if (process.env.E2E_SUMMARY_FILE) fs.appendFileSync(process.env.E2E_SUMMARY_FILE, `${line}\n`);
}
