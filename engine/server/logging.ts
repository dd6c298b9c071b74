/**
 * pino options for the server's JSON logs. Anything that can carry a secret is redacted wherever
 * it appears: auth headers, tokens, API keys and passphrases (the KuCoin venue will bring those).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  'headers.authorization',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'apiSecret',
  '*.apiSecret',
  'secret',
  '*.secret',
  'passphrase',
  '*.passphrase',
  'password',
  '*.password',
  // one level deeper: a venue's credentials sit inside its own config object
  '*.*.token',
  '*.*.apiKey',
  '*.*.apiSecret',
  '*.*.secret',
  '*.*.passphrase',
  '*.*.password',
];

export function loggerOptions(level: string): Record<string, unknown> {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      // the query string may hold a token (a WebSocket client cannot set headers in browsers)
      // (and must not throw: a serializer that throws turns the log call into an exception)
      req: (req: { method?: string; url?: unknown; id?: string }) => ({ id: req.id, method: req.method, url: typeof req.url === 'string' ? redactUrl(req.url) : undefined }),
    },
  };
}

export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|apiKey|key|secret)=)[^&#]*/gi, '$1[redacted]');
}
