export * from './problem';
export * from './validate';
export * from './auth';
export * from './app';
export * from './sse';
export * from './rate-limit';
export * from './lifecycle';
export * from './config';
