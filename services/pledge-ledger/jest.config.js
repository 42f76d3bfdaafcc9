module.exports = {
  ...require('../../jest.preset.js'),
  setupFiles: ['<rootDir>/test/setup-env.ts'],
};
