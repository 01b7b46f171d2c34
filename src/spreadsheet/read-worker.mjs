// Entry of the worker thread that reads an uploaded spreadsheet (see isolated.ts). Compiled (dist/),
// the reader is JavaScript beside this file. From the TypeScript sources (tsx, vitest), a worker does
// not inherit loader hooks registered in code (bin/duban.js, vitest), so it registers tsx itself
// before loading the reader.
import { existsSync } from 'node:fs';

const compiled = new URL('./read-worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./read-worker.ts');
}
