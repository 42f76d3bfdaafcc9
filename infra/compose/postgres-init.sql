-- docker-compose.yml: one database per service, as in production (docs/DEPLOY.md step 3).
-- Runs once, when the postgres container starts on an empty data volume.
CREATE DATABASE payment;
CREATE DATABASE pledge_ledger;
CREATE DATABASE reward;
