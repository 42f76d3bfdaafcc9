import path from 'node:path';
export { createPaymentService, type PaymentService, type PaymentServiceDeps } from './service';
export { loadPaymentConfig, type PaymentConfig } from './config';
export { PrismaClient } from './db/repository';

/**
 * What a runner (services/suite: `npm start`, the e2e tests) needs besides the factory: the
 * service's folder, its migrations and its process entry (run with tsx). Through `../src`, so
 * the paths are the same from src/ (tsx, Jest) and from a bundle in dist/.
 */
export const paymentFiles = {
  dir: path.join(__dirname, '..'),
  migrations: path.join(__dirname, '..', 'src', 'db', 'migrations'),
  main: path.join(__dirname, '..', 'src', 'main.ts'),
};
