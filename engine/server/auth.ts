import { timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Methods that read; every other method changes state and needs the token. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `Authorization: Bearer <token>` only: a token in a URL ends up in histories and proxy logs, and
 * nothing needs one there (the WebSocket only reads, so it needs no token at all).
 */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match === null ? undefined : match[1];
}

/** Default-deny: a mutating route is protected without having to remember to protect it. */
export function requireTokenForChanges(token: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (!tokenMatches(token, presentedToken(request))) {
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'this route changes state: send Authorization: Bearer <token>' });
    }
  };
}

/**
 * The origins a browser page served by this server has, plus any explicitly allowed. A wildcard bind
 * (0.0.0.0, ::) is reached through loopback — the URL `barflow serve` prints — or any interface address.
 */
export function allowedOrigins(host: string, port: number, extra: readonly string[]): Set<string> {
  const hosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
  const bracket = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);
  if (host === '0.0.0.0' || host === '::') {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) hosts.add(bracket(a.address));
  } else {
    hosts.add(bracket(host));
  }
  const origins = new Set(extra);
  for (const h of hosts) origins.add(`http://${h}:${port}`);
  return origins;
}
