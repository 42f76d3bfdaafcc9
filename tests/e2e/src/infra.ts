// The private PostgreSQL and Kafka of an e2e run: started once in Jest's globalSetup, described
// to the test files through one environment variable, stopped in globalTeardown.
import { PrivateKafka } from './kafka';
import { PrivatePostgres, type PrivatePostgresInfo } from './postgres';

export const INFRA_ENV = 'BFI_E2E_INFRA';

export interface InfraInfo {
  pg: PrivatePostgresInfo;
  kafkaPort: number;
}

export interface Infra {
  pg: PrivatePostgres;
  kafka: PrivateKafka;
}

export function infraFromEnv(): Infra {
  const text = process.env[INFRA_ENV];
  if (!text) {
    throw new Error(
      `${INFRA_ENV} is not set: run the e2e tests through their Jest config (its globalSetup starts PostgreSQL and Kafka)`,
    );
  }
  const info = JSON.parse(text) as InfraInfo;
  return { pg: new PrivatePostgres(info.pg), kafka: new PrivateKafka(info.kafkaPort) };
}
