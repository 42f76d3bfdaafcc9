// Jest globalTeardown: stop the private broker and remove the private PostgreSQL cluster.
export default async function globalTeardown(): Promise<void> {
  const infra = globalThis.bfiE2eInfra;
  if (!infra) return;
  await infra.kafka
    .stop()
    .catch((err: unknown) => process.stderr.write(`e2e: stopping Kafka failed: ${String(err)}\n`));
  try {
    infra.pg.destroy();
  } catch (err) {
    process.stderr.write(`e2e: removing PostgreSQL failed: ${String(err)}\n`);
  }
}
