export * from './claim-code';
export * from './decision';
export * from './errors';
export * from './rules';
