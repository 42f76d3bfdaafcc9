// The reward service's OpenAPI document is generated from its route table (one definition per
// endpoint) and passes Redocly's recommended rules (@redocly/cli 2.77.0) with no error or warning.
import { redoclyProblems } from '@bfi/testing';
import type { RewardContext } from '../src/app/context';
import { rewardRouteTable } from '../src/http/routes';

// Building the table reads nothing: the context is only used when a request arrives.
const table = rewardRouteTable({} as RewardContext);

async function servedDocument(): Promise<object> {
  const openApi = table.find((r) => r.path === '/openapi.json');
  if (!openApi) throw new Error('no /openapi.json route');
  return (await openApi.handle({} as never)) as object;
}

it('documents every endpoint once, with an operationId and a response', async () => {
  const doc = (await servedDocument()) as {
    paths: Record<string, Record<string, { operationId: string; responses: object }>>;
  };
  const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
  const documented = table.filter((r) => r.path !== '/openapi.json');
  expect(operations).toHaveLength(documented.length);
  expect(new Set(operations.map((o) => o.operationId)).size).toBe(documented.length);
  expect(doc.paths['/offices/{officeId}/redemptions']?.post?.operationId).toBe('redeemClaimCode');
});

it('passes Redocly lint (recommended rules)', async () => {
  expect(await redoclyProblems(await servedDocument())).toEqual([]);
}, 60_000);
