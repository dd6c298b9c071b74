import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BarflowError } from '../core/errors.ts';

/** Everything the app factory needs; the CLI builds it from flags and the environment. */
export interface ServerOptions {
  host: string;
  port: number;
  /** the token mutating routes require; never logged */
  token: string;
  /** true when the token was generated for this process (printed once in the URL) */
  tokenGenerated: boolean;
  /** root holding pipelines/{canonical,examples,forks} */
  pipelinesDir: string;
  /** the embedded candle files */
  dataDir: string;
  /** where uploaded candle files are kept */
  uploadDir: string;
  /** the built editor (vite output); the server explains how to build it when absent */
  editorDir: string;
  /** extra origins allowed to open WebSockets (the server's own origins always are) */
  allowedOrigins: string[];
  logLevel: string;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Secrets only from the environment: BARFLOW_TOKEN. A loopback server without one gets a random
 * token for this process; a server reachable from the network without one refuses to start.
 */
export function serverOptions(flags: { host?: string; port?: number; allowOrigin?: string[] } = {}, env: NodeJS.ProcessEnv = process.env): ServerOptions {
  const host = flags.host ?? '127.0.0.1';
  const port = flags.port ?? 8080;
  const fromEnv = env['BARFLOW_TOKEN'];
  if (fromEnv !== undefined && fromEnv.length < 16) {
    throw new BarflowError('serve.token', 'BARFLOW_TOKEN must be at least 16 characters', { field: 'BARFLOW_TOKEN' });
  }
  if (!isLoopback(host) && fromEnv === undefined) {
    throw new BarflowError('serve.token', `refusing to listen on ${host} without an auth token: set BARFLOW_TOKEN (16+ characters) or bind to 127.0.0.1`, { field: 'BARFLOW_TOKEN' });
  }
  return {
    host,
    port,
    token: fromEnv ?? randomBytes(24).toString('base64url'),
    tokenGenerated: fromEnv === undefined,
    pipelinesDir: env['BARFLOW_PIPELINES'] ?? `${ROOT}pipelines`,
    dataDir: `${ROOT}data`,
    uploadDir: env['BARFLOW_UPLOADS'] ?? `${ROOT}out/uploads`,
    editorDir: `${ROOT}editor/dist`,
    allowedOrigins: flags.allowOrigin ?? [],
    logLevel: env['BARFLOW_LOG_LEVEL'] ?? 'info',
  };
}
