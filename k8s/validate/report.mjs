// @ts-check
// The run's findings: every check counts, a failed one is a problem, notes say what was skipped.
import path from 'node:path';
import { ROOT } from './expected.mjs';

/**
 * A manifest object as parsed from YAML. Nothing in it is guaranteed (the schema check covers
 * the core kinds' shapes), so the rules read it with optional chaining where a gap is plausible.
 * @typedef {{ apiVersion?: string, kind?: string, metadata?: any, spec?: any, data?: Record<string, string> } & Record<string, any>} K8sObject
 */

/** @type {string[]} */
export const problems = [];
/** @type {string[]} */
export const notes = [];
let checks = 0;

/**
 * Counts a check and records `message` as a problem when it fails.
 * @param {unknown} ok
 * @param {string} message
 * @returns {boolean}
 */
export function check(ok, message) {
  checks += 1;
  if (!ok) problems.push(message);
  return Boolean(ok);
}

/** @param {string} message */
export function note(message) {
  notes.push(message);
}

export const checkCount = () => checks;

/** A path relative to the repository, for messages. @param {string} p */
export const rel = (p) => path.relative(ROOT, p);

/** Kind/name of an object, for messages. @param {K8sObject} o */
export const id = (o) => `${o.kind}/${o.metadata?.name}`;
