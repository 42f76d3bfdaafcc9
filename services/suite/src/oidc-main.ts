// The demo OpenID provider (./oidc) as one standalone process, for docker-compose.yml's demo
// (`npm start` runs it in-process instead). Settings from the environment:
//   OIDC_DEMO_PORT (3005), OIDC_DEMO_HOST (interface, default 0.0.0.0),
//   OIDC_DEMO_ISSUER_URL (the URL browsers and the web use; default http://127.0.0.1:<port>),
//   OIDC_DEMO_WEB_URLS (the web's base URLs, space-separated, allowed to sign in and out;
//     default http://127.0.0.1:3004), OIDC_DEMO_CLIENT_SECRET (a fixed client secret; unset:
//     the one made for the secrets file), OIDC_DEMO_SECRETS_FILE (signing and cookie keys, made
//     on the first start; default .data/oidc-provider.json).
// Demo only: the people and their password (bfi-demo) are published.
import { startDemoProvider } from './oidc';

function log(level: string, msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level, time: Date.now(), msg, ...fields })}\n`);
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const port = Number(env.OIDC_DEMO_PORT ?? 3005);
  const [webUrl, ...extraWebUrls] = (env.OIDC_DEMO_WEB_URLS ?? 'http://127.0.0.1:3004')
    .split(/\s+/)
    .filter(Boolean);
  if (!Number.isInteger(port) || port <= 0 || !webUrl)
    throw new Error('OIDC_DEMO_PORT must be a port number and OIDC_DEMO_WEB_URLS a URL');
  const provider = await startDemoProvider({
    port,
    host: env.OIDC_DEMO_HOST ?? '0.0.0.0',
    issuer: env.OIDC_DEMO_ISSUER_URL || undefined,
    webUrl,
    extraWebUrls,
    clientSecret: env.OIDC_DEMO_CLIENT_SECRET || undefined,
    secretsFile: env.OIDC_DEMO_SECRETS_FILE ?? '.data/oidc-provider.json',
    logger: { warn: (fields: object, msg?: string) => log('warn', msg ?? '', { ...fields }) },
  });
  log('info', 'demo OpenID provider listening', { issuer: provider.issuer, webUrl, extraWebUrls });
  const stop = (): void => {
    void provider.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.env).catch((err: unknown) => {
  log('error', 'demo OpenID provider did not start', { err: String(err) });
  process.exit(1);
});
