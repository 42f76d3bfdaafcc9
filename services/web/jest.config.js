module.exports = {
  ...require('../../jest.preset.js'),
  setupFiles: ['<rootDir>/test/env.ts'],
  // The browser tests share one embedded suite (a child process on its own ports and data
  // folder), started once: the launcher's start takes tens of seconds on a busy machine.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
};
