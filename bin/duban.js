#!/usr/bin/env node
// The `duban` command. It runs the compiled JavaScript in dist/ (built on install, `npm run build`) when
// dist/ was built from the sources as they are now, and otherwise the TypeScript sources through tsx,
// saying why in one line on stderr: a stale dist/ never runs old code silently. DUBAN_TSX=1 runs the
// sources through tsx without a word (`npm run dev`, the tests).
import { fileURLToPath } from 'node:url';
import { staleness } from './build-stamp.js';

// Output piped into a reader that stops early (`duban demo … | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const root = fileURLToPath(new URL('..', import.meta.url));
const why = process.env.DUBAN_TSX === '1' ? 'DUBAN_TSX=1' : staleness(root);
let main;
if (why === undefined) {
  ({ main } = await import('../dist/src/main.js'));
} else {
  if (process.env.DUBAN_TSX !== '1')
    console.error(`duban: ${why}; running the TypeScript sources through tsx (npm run build compiles them)`);
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
