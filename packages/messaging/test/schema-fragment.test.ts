import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Outbox and inbox are raw SQL over tables every service declares itself; this keeps the
// declarations identical to the one in outbox-inbox.prisma, so no service drifts from the SQL.
const fragment = readFileSync(join(__dirname, '..', 'outbox-inbox.prisma'), 'utf8');
const models = [...fragment.matchAll(/^model \w+ \{[\s\S]*?^\}/gm)].map((m) => m[0]);
const schemas = ['payment', 'pledge-ledger', 'reward', '../packages/messaging/test/fixture'].map(
  (svc) => join(__dirname, '..', '..', '..', 'services', svc, 'src', 'db', 'schema.prisma'),
);

test('the fragment holds the two messaging models', () => {
  expect(models.map((m) => m.split(' ')[1])).toEqual(['OutboxEvent', 'InboxEvent']);
});

test.each(schemas)('%s declares the outbox and inbox exactly as messaging expects', (path) => {
  const schema = readFileSync(path, 'utf8');
  for (const model of models) expect(schema).toContain(model);
});
