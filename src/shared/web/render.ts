// Server-side rendering of TSX pages. preact-render-to-string escapes every text and
// attribute by default; raw HTML needs an explicit dangerouslySetInnerHTML.
import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

export function renderHtml(node: VNode): string {
  return `<!DOCTYPE html>${renderToString(node)}`;
}

export function sendHtml(reply: FastifyReply, node: VNode, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderHtml(node));
}
