#!/usr/bin/env node
// @ts-check
// Makes sure Debian's Chromium is installed for the browser tests (playwright-core drives it;
// Playwright's own browser download cannot work here). `node infra/chromium.mjs` prints its
// path; `ensureChromium()` is what the web tests' global setup calls.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launch arguments that work as root, without a GPU and without reaching the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** @returns {string} the Chromium executable */
export function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  process.stderr.write(
    `chromium: ${CHROMIUM_PATH} missing, installing Debian's chromium package\n`,
  );
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  /** @param {string[]} args */
  const run = (args) =>
    execFileSync(sudo[0] ?? String(args[0]), sudo.length ? args : args.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`chromium is still missing at ${CHROMIUM_PATH}`);
  return CHROMIUM_PATH;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(ensureChromium());
