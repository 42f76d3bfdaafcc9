export * from './statement';
export * from './statement-csv';
export * from './matching';
export * from './correction';
