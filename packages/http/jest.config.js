module.exports = {
  ...require('../../jest.preset.js'),
  // jose is published as ES modules only: SWC turns it into CommonJS for Jest.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
