export * from './accounts';
export * from './donation';
export * from './entries';
export * from './covered-fee';
export * from './funds';
export * from './hash';
export * from './totals';
export * from './errors';
