import type { RequestHandler } from 'express';

/**
 * A strict Content-Security-Policy for the pages: scripts, styles, images and streams only
 * from this origin (the APIs are called server-side, so nothing else is needed), no inline
 * script or style, no framing. A form may only post here and be handed to the providers'
 * checkout pages (a form's redirect is bound by form-action).
 */
export function contentSecurityPolicy(checkoutOrigins: string[]): RequestHandler {
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action 'self' ${checkoutOrigins.join(' ')}`.trim(),
  ].join('; ');
  return (_req, res, next) => {
    res.setHeader('content-security-policy', policy);
    next();
  };
}
