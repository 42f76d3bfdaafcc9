// Flat config shared by every workspace (each workspace runs `eslint .` from its folder; the root
// `npm run lint` also lints the scripts in infra/ and k8s/).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ---- The one map: what each layer of a service may not import, and why (the messages are
// what a developer reads when a rule fires).
const MAP_HTTP =
  'http/ reads and writes through app/ use cases: no db/ repositories, Prisma or generated client here (docs/ARCHITECTURE.md, "The one map").';
const MAP_APP =
  'app/ use cases know no HTTP: no express or @bfi/http; throw the service\'s domain error and let http/errors.ts map it (docs/ARCHITECTURE.md, "The one map").';
const MAP_DOMAIN =
  'domain/ stays pure: no express, kafkajs, Prisma, node I/O, db/, app/, http/ or events/ (docs/ARCHITECTURE.md, "The one map").';
const MAP_DB =
  'db/ holds repositories: it imports domain types only, never http/ or app/, and throws no HTTP errors (docs/ARCHITECTURE.md, "The one map").';
/** Node modules that do I/O (files, network, processes): none of them in domain/. */
const NODE_IO = ['fs', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls', 'child_process']
  .concat(['cluster', 'worker_threads', 'readline', 'os', 'process'])
  .flatMap((m) => [m, `node:${m}`]);
const PRISMA = ['@prisma/client', '@prisma/adapter-pg', 'prisma'];
/** A relative import of a sibling layer folder: '../db', '../db/rewards-repo', '../../app/x'. */
const layer = (names) => `^\\.{1,2}/(?:.*/)?(?:${names})(?:/|$)`;
/** A package, its subpaths and, for Prisma, any generated client folder. */
const packages = (names, message) => [
  ...names.map((name) => ({ regex: `^${name.replace(/[/.]/g, '\\$&')}(?:/|$)`, message })),
  ...(names.includes('@prisma/client') ? [{ regex: '(?:^|/)generated(?:/|$)', message }] : []),
];

// ---- pledge-ledger is two modules in one service (docs/ARCHITECTURE.md, "pledge-ledger: two
// modules"): reconciliation/** reaches the ledger only through src/ledger/index.ts, the narrow
// interface it would call over the wire once it is deployed on its own. no-restricted-syntax
// (not no-restricted-imports) so this list adds to the one map's layer rules instead of
// replacing them for these files.
const LEDGER_DOOR =
  'reconciliation/ uses the ledger only through src/ledger/index.ts (import from "../../ledger"), so it can move into its own deployable without a rewrite.';
const INTO_LEDGER = '/(^|[\\u002F])ledger[\\u002F](?!index$)./';
const ledgerDoor = {
  files: ['services/pledge-ledger/src/reconciliation/**/*.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      ...[
        'ImportDeclaration',
        'ExportNamedDeclaration',
        'ExportAllDeclaration',
        'ImportExpression',
      ].map((node) => ({ selector: `${node}[source.value=${INTO_LEDGER}]`, message: LEDGER_DOOR })),
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/generated/**',
      '**/.turbo/**',
      // CommonJS config files (jest.config.js); the ES module scripts (*.mjs) are linted.
      '**/*.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    // Scripts run by Node as ES modules: ESLint's JavaScript rules (typescript-eslint turns off the
    // ones TypeScript checks, but only for .ts files), with Node's globals.
    files: ['**/*.mjs'],
    ...js.configs.recommended,
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Libraries are libraries: nothing in packages/ imports an app (a service, the suite) or
    // reaches into services/ by a relative path. The arrows go from services/ to packages/ only.
    files: ['packages/**/*.ts', 'packages/**/*.mjs'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@bfi/payment',
                '@bfi/pledge-ledger',
                '@bfi/reward',
                '@bfi/web',
                '@bfi/suite',
                '@bfi/e2e',
                '**/services/**',
                '**/tests/**',
              ],
              message: 'packages/ are libraries: they never import a service or the suite.',
            },
          ],
        },
      ],
    },
  },
  // The one map (docs/ARCHITECTURE.md): http → app → domain + db, in every service. One block per
  // layer (a file is in exactly one layer, so no block overrides another's list). `**/` after src/
  // also covers a module's own layers (e.g. src/reconciliation/http/).
  {
    files: ['services/*/src/**/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: layer('db'), message: MAP_HTTP }, ...packages(PRISMA, MAP_HTTP)] },
      ],
    },
  },
  {
    files: ['services/*/src/**/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: layer('http'), message: MAP_APP },
            ...packages(['express', '@bfi/http'], MAP_APP),
          ],
        },
      ],
    },
  },
  {
    files: ['services/*/src/**/domain/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: layer('db|app|http|events'), message: MAP_DOMAIN },
            ...packages(
              ['express', 'kafkajs', 'pg', '@bfi/http', '@bfi/messaging', '@bfi/db', ...PRISMA],
              MAP_DOMAIN,
            ),
            ...packages(NODE_IO, MAP_DOMAIN),
          ],
        },
      ],
    },
  },
  {
    files: ['services/*/src/**/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: layer('http|app'), message: MAP_DB },
            ...packages(['express', '@bfi/http'], MAP_DB),
          ],
        },
      ],
    },
  },
  ledgerDoor,
);
