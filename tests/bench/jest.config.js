// Only the formatting and ratio arithmetic are unit-tested: the figures themselves are printed,
// never asserted (a shared machine moves them).
module.exports = { ...require('../../jest.preset.js') };
