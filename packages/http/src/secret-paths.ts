// Paths that carry a secret in a segment (a subscription's signed manage link): the request
// log shows the route with the secret replaced, like it drops the query (`?s=`).
const SECRET_SEGMENTS = [/^(\/monthly\/)[^/]+/, /^(\/subscriptions\/manage\/)[^/]+/];

export function redactSecretPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return SECRET_SEGMENTS.reduce((p, pattern) => p.replace(pattern, '$1[redacted]'), path);
}
