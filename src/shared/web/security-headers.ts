// Security headers on every response. Every asset comes from our own origin: the
// Content-Security-Policy names no third-party origin and allows no inline script or style.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "frame-src 'self'",
  "base-uri 'self'",
  "object-src 'self'",
].join('; ');

export const securityHeaders = fp(async (app: FastifyInstance, opts: { config: Config }) => {
  app.addHook('onSend', async (_req, reply, payload) => {
    // A route serving a file may set a stricter policy of its own (e.g. frame-ancestors 'self' for a preview).
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'SAMEORIGIN');
    reply.header('permissions-policy', 'camera=(self), geolocation=(), microphone=()');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (opts.config.secureCookies) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  });
});
