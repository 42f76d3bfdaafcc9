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
