// Flat config shared by every workspace (each workspace runs `eslint .` from its folder; the root
// `npm run lint` also lints the scripts in infra/ and k8s/).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
  {
    // The domain layer stays pure: no web framework, broker client or ORM in it.
    files: ['services/*/src/domain/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['express', 'kafkajs', '@prisma/*', '**/db/**', '**/http/**', '**/events/**'] },
      ],
    },
  },
);
