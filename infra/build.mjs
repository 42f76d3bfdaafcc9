#!/usr/bin/env node
// @ts-check
// `npm run build` of a service (run in its workspace folder by turbo): one esbuild bundle per entry,
// src/<entry>.ts → dist/<entry>.js, CommonJS for plain `node` (no tsx at run time).
//
//   node ../../infra/build.mjs [--self-contained] [src/main.ts ...]     (default: src/main.ts)
//
// The bundle holds the entry, the workspace packages it imports (@bfi/*, consumed as TypeScript
// source) and the service's generated Prisma client; every other package stays an external
// `require` resolved from node_modules, which the image installs with `npm ci --omit=dev`.
// --self-contained bundles every package too, for an entry whose workspace the image does not
// install (services/suite's demo OpenID provider, Dockerfile target demo-oidc).
// esbuild only strips types (`tsc` type-checks in `npm run typecheck`), so a build takes a second.
// Files the code reads at run time stay where they are and are found from the service folder:
// src/db/migrations and services/web/src/public (see infra/image-tree.mjs, which ships them).

import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

/** Workspace packages are bundled (they ship TypeScript source); every other bare import is external. */
const WORKSPACE_SCOPE = '@bfi/';

/** @type {import('esbuild').Plugin} */
const externalDependencies = {
  name: 'external-dependencies',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith(WORKSPACE_SCOPE) ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * @param {string[]} entries
 * @param {boolean} selfContained
 */
async function main(entries, selfContained) {
  fs.rmSync('dist', { recursive: true, force: true });
  for (const entry of entries) {
    if (!fs.existsSync(entry)) throw new Error(`${path.resolve(entry)} does not exist`);
    const outfile = path.join('dist', `${path.basename(entry, '.ts')}.js`);
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'linked',
      // Stack traces point at the TypeScript lines (`node --enable-source-maps`, set in the image).
      sourcesContent: false,
      plugins: selfContained ? [] : [externalDependencies],
      logLevel: 'warning',
    });
    const kib = Math.round(fs.statSync(outfile).size / 1024);
    process.stdout.write(`build: ${path.basename(process.cwd())}/${outfile} (${kib} KiB)\n`);
  }
}

const args = process.argv.slice(2).filter((a) => a !== '--self-contained');
const selfContained = process.argv.includes('--self-contained');
main(args.length > 0 ? args : ['src/main.ts'], selfContained).catch((err) => {
  process.stderr.write(`build: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
