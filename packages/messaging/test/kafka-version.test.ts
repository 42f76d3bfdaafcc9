import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..', '..');

/** The Kafka every test runs: infra/kafka/pom.xml's <kafka.version> (what infra/kafka starts). */
function testedKafkaVersion(): string {
  const pom = readFileSync(join(ROOT, 'infra', 'kafka', 'pom.xml'), 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match) throw new Error('no <kafka.version> in infra/kafka/pom.xml');
  return match[1]!.trim();
}

/** spec.kafka of the Strimzi Kafka resource production runs (k8s/kafka/kafka.yaml). */
function productionKafka(): { version?: string; metadataVersion?: string } {
  const text = readFileSync(join(ROOT, 'k8s', 'kafka', 'kafka.yaml'), 'utf8');
  const kafka = parseAllDocuments(text)
    .map((doc) => doc.toJS() as { kind?: string; spec?: { kafka?: object } })
    .find((o) => o.kind === 'Kafka');
  if (!kafka?.spec?.kafka) throw new Error('no Kafka resource in k8s/kafka/kafka.yaml');
  return kafka.spec.kafka;
}

describe('the Kafka version', () => {
  test('production (k8s Kafka resource) pins the Kafka release the tests run on', () => {
    expect(productionKafka().version).toBe(testedKafkaVersion());
  });

  test("production's metadataVersion belongs to that release (major.minor-IVn)", () => {
    const [major, minor] = testedKafkaVersion().split('.');
    expect(productionKafka().metadataVersion).toMatch(new RegExp(`^${major}\\.${minor}-IV\\d+$`));
  });
});
