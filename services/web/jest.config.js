module.exports = {
  ...require('../../jest.preset.js'),
  // Quiet logs unless LOG_LEVEL is set; kafkajs partitioner notice off.
  setupFiles: ['<rootDir>/test/env.ts'],
};
