import path from 'node:path';
export { createWebService, type WebService } from './service';
export { loadWebConfig, type WebConfig } from './config';

/**
 * What a runner (services/suite: `npm start`, the e2e tests) needs besides the factory: the
 * service's folder and its process entry (run with tsx). Through `../src`, so
 * the paths are the same from src/ (tsx, Jest) and from a bundle in dist/.
 */
export const webFiles = {
  dir: path.join(__dirname, '..'),
  main: path.join(__dirname, '..', 'src', 'main.ts'),
};
