import { resolve } from 'node:path';

/** The repository root (tests/e2e/src → ../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
