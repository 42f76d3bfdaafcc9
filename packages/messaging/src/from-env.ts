import { InProcessTransport } from './in-process-transport';
import { KafkaTransport } from './kafka-transport';
import type { Logger } from './logger';
import type { Transport } from './transport';

/** KAFKA_BROKERS set → Kafka; otherwise the in-process transport of the embedded run. */
export function createTransportFromEnv(
  clientId: string,
  logger: Logger,
  env = process.env,
): Transport {
  const brokers = env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers?.length) return new KafkaTransport({ brokers, clientId, logger });
  return new InProcessTransport({ logger, dir: env.BUS_DIR });
}
