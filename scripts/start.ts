/**
 * `npm start`: the whole suite on an embedded default (PGlite behind a Postgres socket per
 * service, the in-process transport, fake Stripe/PayPal). Wired up by the end-to-end issue;
 * until then it says so plainly instead of pretending.
 */
console.log(
  [
    '#BullyingFreeInternet donation suite',
    '',
    'npm start (embedded, one command) is not wired up yet: it arrives with the end-to-end issue.',
    'Today you can run each service on real Kafka and PostgreSQL:',
    '  npm run infra:up                       # starts Kafka (and checks PostgreSQL), prints env to export',
    '  npm start -w @bfi/payment              # see services/*/README.md for each service',
  ].join('\n'),
);
