// k8s/validate.mjs, the offline checks of the Kubernetes manifests (it imports the events package
// and the services' configs through tsx).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS, dlqTopic } from '@bfi/events';
import { REPO_ROOT, runScript } from './repo-scripts';

const validate = (args: string[]) => runScript('k8s/validate.mjs', args);

/** Replaces `from` (which must occur) in a file of the manifests copy. */
function edit(dir: string, file: string, from: string, to: string): void {
  const target = join(dir, file);
  const text = readFileSync(target, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
  writeFileSync(target, text.split(from).join(to));
}

describe('k8s/validate.mjs', () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'bfi-k8s-'));
    cpSync(join(REPO_ROOT, 'k8s'), copy, { recursive: true });
  });

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  test('passes the manifests in the repository', async () => {
    const { code, output } = await validate([]);
    expect(output).toMatch(/\nOK\n$/);
    expect(code).toBe(0);
  });

  test("refuses manifests whose payment port is not the service's own, or that lack a topic of packages/events", async () => {
    // Port moved consistently in the ConfigMap and the container: only the service's config disagrees.
    edit(copy, 'base/payment/kustomization.yaml', 'PORT=3001', 'PORT=3011');
    edit(copy, 'base/payment/deployment.yaml', 'containerPort: 3001', 'containerPort: 3011');
    const dlq = dlqTopic(TOPICS.ledger);
    edit(copy, 'kafka/topics.yaml', `topicName: ${dlq}\n`, `topicName: ${dlq}-renamed\n`);

    const { code, output } = await validate(['--dir', copy]);

    expect(code).toBe(1);
    expect(output).toMatch(/base: Deployment\/payment: containerPort 3011 is not \d+/);
    expect(output).toContain(`kafka: no KafkaTopic for ${dlq}`);
    expect(output).not.toMatch(/\nOK\n$/);
  });
});
