import { InProcessTransport } from './in-process-transport';
import { KafkaTransport, type KafkaTransportOptions } from './kafka-transport';
import type { Logger } from 'pino';
import type { Transport } from './transport';

/**
 * KAFKA_BROKERS set → Kafka (optionally KAFKA_SSL=true and KAFKA_SASL_MECHANISM /
 * KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD); otherwise the in-process transport.
 */
export function createTransportFromEnv(
  clientId: string,
  logger: Logger,
  env = process.env,
): Transport {
  const brokers = env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (!brokers?.length) return new InProcessTransport({ logger, dir: env.BUS_DIR });
  return new KafkaTransport({
    brokers,
    clientId,
    logger,
    ssl: env.KAFKA_SSL === 'true',
    sasl: saslFromEnv(env),
  });
}

function saslFromEnv(env: NodeJS.ProcessEnv): KafkaTransportOptions['sasl'] {
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = env;
  if (!username || !password) return undefined;
  const mechanism = env.KAFKA_SASL_MECHANISM ?? 'scram-sha-512';
  if (mechanism !== 'scram-sha-512' && mechanism !== 'scram-sha-256' && mechanism !== 'plain') {
    throw new Error(
      `KAFKA_SASL_MECHANISM must be scram-sha-512, scram-sha-256 or plain, not "${mechanism}"`,
    );
  }
  return { mechanism, username, password };
}
