#!/usr/bin/env node
// Runs duban's TypeScript sources directly (tsx), so the checkout needs no build step.
import { register } from 'tsx/esm/api';

// Output piped into a reader that stops early (`duban demo … | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
