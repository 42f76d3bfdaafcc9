// What other workspaces take from the suite: the process spawner of the e2e tests.
// (`npm start` runs src/start.ts; the demo OpenID provider's own process is src/oidc-main.ts.)
export { ServiceProcess, sleep, type ServiceName } from './service-process';
