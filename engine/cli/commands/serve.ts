import { parseArgs } from 'node:util';
import { buildApp } from '../../server/app.ts';
import { serverOptions } from '../../server/config.ts';
import { NODE_DEFINITIONS, registry } from '../../../nodes/index.ts';
import { nodeHelp } from '../../../nodes/help.ts';

export const SERVE_USAGE = 'barflow serve [--host 127.0.0.1] [--port 8080] [--replay <pipeline> [--speed <bars/s>]] [--allow-origin <origin> ...]';

/**
 * `barflow serve`: the API, the WebSocket stream and the editor. Loopback by default; anything else
 * needs BARFLOW_TOKEN. Without BARFLOW_TOKEN a one-off token is generated and printed once, inside
 * the URL's fragment (never sent in requests, never logged), where the editor picks it up.
 */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      replay: { type: 'string' },
      speed: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
    },
  });
  if (positionals.length > 0) {
    process.stderr.write(`usage: ${SERVE_USAGE}\n`);
    return 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    process.stderr.write(`--port ${JSON.stringify(values.port)} is not a port number\n`);
    return 2;
  }
  const options = serverOptions({ host: values.host, port, allowOrigin: values['allow-origin'] });
  const { app, ctx } = await buildApp(options, { registry, definitions: NODE_DEFINITIONS, help: nodeHelp });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}/`;
  if (values.replay !== undefined) {
    const speed = values.speed === undefined ? 200 : Number(values.speed);
    const run = ctx.runs.start({ pipeline: values.replay, mode: 'replay', speed, set: [], paused: false });
    process.stdout.write(`replaying ${values.replay} at ${speed === 0 ? 'full speed' : `${speed} bars/s`} (run ${run.id})\n`);
  }
  process.stdout.write(`barflow is serving on ${url}\n`);
  process.stdout.write(options.tokenGenerated ? `open ${url}#token=${options.token}\n` : `open ${url} (token: from BARFLOW_TOKEN)\n`);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}
