#!/usr/bin/env node
// The `barflow` command. TypeScript sources run through tsx's loader, so there is no build step
// between editing a node and running it.
import { register } from 'tsx/esm/api';

register();
// `barflow nodes --json | head`: a reader that stops early is not an error worth a stack trace
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../engine/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
