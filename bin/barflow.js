#!/usr/bin/env node
// The `barflow` command. TypeScript sources run through tsx's loader, so there is no build step
// between editing a node and running it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../engine/cli/main.ts');
process.exitCode = main(process.argv.slice(2));
