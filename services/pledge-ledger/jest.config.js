module.exports = {
  ...require('../../jest.preset.js'),
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // jose (through @bfi/http's person tokens) is published as ES modules only: SWC turns it into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
