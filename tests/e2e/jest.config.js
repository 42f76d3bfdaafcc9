// The e2e run brings its own PostgreSQL and Kafka (src/global-setup.ts) and runs one scenario
// file at a time: the fault scenarios restart that broker and that database server.
module.exports = {
  ...require('../../jest.preset.js'),
  globalSetup: '<rootDir>/src/global-setup.ts',
  globalTeardown: '<rootDir>/src/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 600000,
};
