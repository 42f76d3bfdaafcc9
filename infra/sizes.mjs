#!/usr/bin/env node
// @ts-check
// Prints the source files over 400 lines and the functions over 60 lines (the project's limits),
// and exits 1 when there are any, 0 when there are none.
//
//   node infra/sizes.mjs [--tests] [--root <dir>]      (npm run sizes)
//
// Source: every .ts/.tsx/.mts/.cts/.js/.mjs/.cjs file under services/, packages/, infra/, k8s/ and
// tests/, except generated code (generated/, dist/), fixtures (fixture/, fixtures/) and
// node_modules. Tests (files in a test/ or __tests__/ folder, *.test.* and *.spec.*) are left out
// unless --tests is given: a describe() callback is a list of cases, not a function to split.
// Functions are found with the TypeScript compiler API: declarations, expressions, arrows, methods,
// constructors and accessors with a body, counted from their first to their last line (a function
// nested in a long one is counted on its own as well). --root measures another tree (tests).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOP_LEVEL = ['services', 'packages', 'infra', 'k8s', 'tests'];
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 60;
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'generated',
  'fixture',
  'fixtures',
  '.turbo',
]);
const TEST_DIRS = new Set(['test', '__tests__']);
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

/**
 * The source files under dir, as paths relative to the root.
 * @param {string} root
 * @param {string} dir relative to the root
 * @param {boolean} withTests
 * @returns {string[]}
 */
function sourceFiles(root, dir, withTests) {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return []; // a top-level folder this checkout does not have
  }
  return entries.flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (SKIPPED_DIRS.has(e.name) || e.name.startsWith('.')) return [];
      if (!withTests && TEST_DIRS.has(e.name)) return [];
      return sourceFiles(root, rel, withTests);
    }
    if (!SOURCE.test(e.name) || (!withTests && TEST_FILE.test(e.name))) return [];
    return [rel];
  });
}

/** @param {string} text */
function lineCount(text) {
  if (text.length === 0) return 0;
  const lines = text.split('\n').length;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/**
 * A readable name for a function: its own, or what it is assigned to, or where it is passed.
 * @param {ts.SignatureDeclaration} fn
 * @param {ts.SourceFile} sf
 * @returns {string}
 */
function functionName(fn, sf) {
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  if (fn.name) return fn.name.getText(sf);
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name) {
    return parent.name.getText(sf);
  }
  if (ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText(sf)})`;
  return '(anonymous)';
}

/**
 * @typedef {{ file: string, line: number, name: string, lines: number }} LongFunction
 */

/**
 * The functions of one file that are longer than the limit.
 * @param {string} file relative to the repository
 * @param {string} text
 * @returns {LongFunction[]}
 */
function longFunctions(file, text) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  /** @type {LongFunction[]} */
  const found = [];
  /** @param {ts.Node} node */
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION_LINES) {
        found.push({ file, line: start + 1, name: functionName(node, sf), lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** @param {string} root @param {boolean} withTests */
function measure(root, withTests) {
  const files = TOP_LEVEL.flatMap((dir) => sourceFiles(root, dir, withTests)).sort();
  /** @type {{ file: string, lines: number }[]} */
  const longFiles = [];
  /** @type {LongFunction[]} */
  const functions = [];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const lines = lineCount(text);
    if (lines > MAX_FILE_LINES) longFiles.push({ file, lines });
    functions.push(...longFunctions(file, text));
  }
  longFiles.sort((a, b) => b.lines - a.lines);
  functions.sort((a, b) => b.lines - a.lines);
  return { fileCount: files.length, longFiles, functions };
}

/**
 * @param {string[]} args
 * @returns {{ withTests: boolean, root: string } | string} the options, or what is wrong
 */
function parseArgs(args) {
  const options = { withTests: false, root: REPO_ROOT };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--tests') options.withTests = true;
    else if (arg === '--root' && args[i + 1]) options.root = path.resolve(String(args[++i]));
    else return `unknown argument ${arg}`;
  }
  return options;
}

/** @param {string[]} args @returns {number} the exit code */
function main(args) {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    console.error(`sizes: ${options}\nusage: node infra/sizes.mjs [--tests] [--root <dir>]`);
    return 2;
  }
  const { withTests } = options;
  const { fileCount, longFiles, functions } = measure(options.root, withTests);
  const scope = `${fileCount} source files${withTests ? ' with tests' : ', tests left out'}`;
  if (longFiles.length === 0 && functions.length === 0) {
    console.log(
      `sizes: ${scope}; no file over ${MAX_FILE_LINES} lines, no function over ${MAX_FUNCTION_LINES}`,
    );
    return 0;
  }
  console.log(`sizes: ${scope}`);
  console.log(`\nFiles over ${MAX_FILE_LINES} lines (${longFiles.length}):`);
  for (const f of longFiles) console.log(`  ${String(f.lines).padStart(5)}  ${f.file}`);
  console.log(`\nFunctions over ${MAX_FUNCTION_LINES} lines (${functions.length}):`);
  for (const f of functions) {
    console.log(`  ${String(f.lines).padStart(5)}  ${f.file}:${f.line}  ${f.name}`);
  }
  return 1;
}

process.exitCode = main(process.argv.slice(2));
