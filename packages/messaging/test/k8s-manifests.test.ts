// k8s/validate.mjs, the offline checks of the Kubernetes manifests (it imports the events package
// and the services' configs through tsx). Each broken copy must fail with the check's message.
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

/** The web's egress rule of an API's NetworkPolicy (the person-token keys). */
const WEB_EGRESS = `    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: web
              app.kubernetes.io/component: server
      ports:
        - protocol: TCP
          port: 3004
`;

const WEB_HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`;

describe('k8s/validate.mjs', () => {
  const copies: string[] = [];

  /** A fresh copy of k8s/ to break. */
  function copyOfManifests(): string {
    const copy = mkdtempSync(join(tmpdir(), 'bfi-k8s-'));
    copies.push(copy);
    cpSync(join(REPO_ROOT, 'k8s'), copy, { recursive: true });
    return copy;
  }

  async function problemsOf(copy: string): Promise<string> {
    const { code, output } = await validate(['--dir', copy]);
    expect(output).not.toMatch(/\nOK\n$/);
    expect(code).toBe(1);
    return output;
  }

  afterAll(() => {
    for (const c of copies) rmSync(c, { recursive: true, force: true });
  });

  test('passes the manifests in the repository', async () => {
    const { code, output } = await validate([]);
    expect(output).toMatch(/\nOK\n$/);
    expect(code).toBe(0);
  });

  test("refuses manifests whose payment port is not the service's own, or that lack a topic of packages/events", async () => {
    const copy = copyOfManifests();
    // Port moved consistently in the ConfigMap and the container: only the service's config disagrees.
    edit(copy, 'base/payment/kustomization.yaml', 'PORT=3001', 'PORT=3011');
    edit(copy, 'base/payment/deployment.yaml', 'containerPort: 3001', 'containerPort: 3011');
    const dlq = dlqTopic(TOPICS.ledger);
    edit(copy, 'kafka/topics.yaml', `topicName: ${dlq}\n`, `topicName: ${dlq}-renamed\n`);

    const output = await problemsOf(copy);

    expect(output).toMatch(/base: Deployment\/payment: containerPort 3011 is not \d+/);
    expect(output).toContain(`kafka: no KafkaTopic for ${dlq}`);
  });

  test('refuses policies that stop an API from fetching the web’s person-token keys (either side)', async () => {
    const copy = copyOfManifests();
    edit(copy, 'base/reward/networkpolicy.yaml', WEB_EGRESS, '');
    // The web admits the APIs only on a port it does not listen on.
    edit(
      copy,
      'base/web/networkpolicy.yaml',
      'values: [payment, pledge-ledger, reward]\n      ports:\n        - protocol: TCP\n          port: http',
      'values: [payment, pledge-ledger, reward]\n      ports:\n        - protocol: TCP\n          port: 3005',
    );

    const output = await problemsOf(copy);

    expect(output).toContain(
      'base: Deployment/reward (PERSON_TOKEN_JWKS_URL): its NetworkPolicy allows no egress to Deployment/web pods for web:3004',
    );
    expect(output).not.toMatch(/Deployment\/payment \(PERSON_TOKEN_JWKS_URL\): its NetworkPolicy/);
    for (const api of ['payment', 'pledge-ledger', 'reward']) {
      expect(output).toContain(
        `overlays/production: Deployment/${api} (PERSON_TOKEN_JWKS_URL): the NetworkPolicy of Deployment/web admits no ingress from its pods for web:3004`,
      );
    }
  });

  test('refuses a workload without egress to the tracing collector, or a namespace label the docs do not set', async () => {
    const copy = copyOfManifests();
    edit(copy, 'base/pledge-ledger/networkpolicy.yaml', 'port: 4318', 'port: 4319');
    edit(copy, 'base/web/networkpolicy.yaml', "bfi/otel-collector: 'true'", "bfi/otel: 'true'");

    const output = await problemsOf(copy);

    expect(output).toContain(
      'base: Deployment/pledge-ledger has no egress to the tracing collector (namespaces labelled bfi/otel-collector=true) on 4318',
    );
    expect(output).not.toMatch(/Deployment\/pledge-ledger has no egress .* on 4317/);
    expect(output).toContain('base: Deployment/web has no egress to the tracing collector');
    expect(output).toContain(
      'base: NetworkPolicy/web selects namespaces labelled bfi/otel=true, which docs/DEPLOY.md does not tell the operator to set',
    );
  });

  test('refuses a web Deployment without a Secret key the docs name, a secret in a ConfigMap, or an undocumented key', async () => {
    const copy = copyOfManifests();
    edit(
      copy,
      'base/web/deployment.yaml',
      'key: PERSON_TOKEN_PRIVATE_KEY',
      'key: PERSON_TOKEN_PRIVATE_KEY_PEM',
    );
    edit(
      copy,
      'base/web/kustomization.yaml',
      '- OIDC_CLIENT_ID=bfi-web',
      '- OIDC_CLIENT_ID=bfi-web\n      - OIDC_CLIENT_SECRET=in-plain-sight',
    );

    const output = await problemsOf(copy);

    expect(output).toContain(
      'base: Deployment/web does not read PERSON_TOKEN_PRIVATE_KEY from Secret web-secrets, as docs/DEPLOY.md says it does',
    );
    expect(output).toContain(
      'base: Secret web-secrets key PERSON_TOKEN_PRIVATE_KEY_PEM is not in a `kubectl create secret generic web-secrets` step of docs/DEPLOY.md',
    );
    expect(output).toContain(
      'base: Deployment/web gets OIDC_CLIENT_SECRET from a ConfigMap; it is a key of Secret web-secrets',
    );
    expect(output).not.toContain('does not read OIDC_CLIENT_SECRET');
  });

  test('refuses a web that autoscales while sessions are in memory, a budget that blocks drains, a PEOPLE_FILE off a volume', async () => {
    const copy = copyOfManifests();
    writeFileSync(join(copy, 'base/web/hpa.yaml'), WEB_HPA);
    edit(copy, 'base/web/kustomization.yaml', '  - pdb.yaml\n', '  - pdb.yaml\n  - hpa.yaml\n');
    edit(copy, 'base/web/deployment.yaml', '  replicas: 1\n', '');
    edit(copy, 'base/web/pdb.yaml', 'maxUnavailable: 1', 'minAvailable: 1');
    edit(
      copy,
      'base/web/kustomization.yaml',
      '- SESSION_COOKIE_SECURE=true',
      '- SESSION_COOKIE_SECURE=true\n      - PEOPLE_FILE=/tmp/people/people.json',
    );

    const output = await problemsOf(copy);

    expect(output).toContain(
      'base: HorizontalPodAutoscaler/web autoscales web, but its sessions are in memory',
    );
    expect(output).toContain('base: Deployment/web does not set replicas: 1');
    expect(output).toContain(
      'overlays/staging: PodDisruptionBudget/web lets no pod of Deployment/web go at 1 replica(s): it blocks every node drain',
    );
    expect(output).toContain(
      'base: Deployment/web: PEOPLE_FILE /tmp/people/people.json is not on a writable PersistentVolumeClaim mount',
    );
  });
});
