// The webhook baseline: express answering POST /webhooks/stripe after parsing the JSON body and
// doing nothing else, as its own process on 127.0.0.1 (as the payment service is).
//   node --import tsx bare-express.ts PORT
import express from 'express';

const port = Number(process.argv[2]);
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/webhooks/stripe', (_req, res) => {
  res.json({ received: true });
});
const server = app.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
// Its parent (the bench) gone: do not linger.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(70);
}, 1000).unref();
