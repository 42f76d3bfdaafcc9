// One Jest setup for every workspace: TypeScript through SWC (fast, no type checking —
// `npm run typecheck` does that), Node environment, generous timeouts because the
// integration tests talk to a real Kafka broker and a real PostgreSQL.
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // jose (person tokens in @bfi/http) is published as ES modules only: SWC makes it CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  testTimeout: 60000,
  maxWorkers: 1,
};
