export {
  createPledgeLedgerService,
  type PledgeLedgerDeps,
  type PledgeLedgerService,
  type PledgeLedgerServiceConfig,
} from './service';
export { loadPledgeLedgerConfig, type PledgeLedgerConfig } from './config';
export { providerClients } from './reconciliation/clients';
export { PrismaClient, type Db, type Tx } from './db/client';
export { applyPaymentEvent, type ApplyResult } from './ledger/app/apply-payment-events';
