#!/usr/bin/env node
// Compiles duban to dist/ (`npm run build`; `prepare` runs it on `npm install` and `npm ci`): tsc with
// tsconfig.build.json into a fresh folder, the non-TypeScript files of src/ and commands/ (the worker
// entries) copied beside the JavaScript, and dist/build-stamp.json listing the sources it was built
// from, so that bin/duban.js never runs a dist/ older than the sources. The new folder replaces dist/
// only once complete.
//
// --if-possible (the prepare step): without TypeScript installed (`npm ci --omit=dev`) say so and
// succeed, leaving dist/ as it is; bin/duban.js then runs the sources through tsx.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP, sourceFiles, stampOf } from './build-stamp.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const ifPossible = process.argv.includes('--if-possible');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.error('duban build: TypeScript is not installed (a production install?), so dist/ was not built.');
  process.exit(ifPossible ? 0 : 1);
}

const started = performance.now();
// The stamp is taken first: a source saved while tsc runs then makes dist/ stale, never falsely fresh.
const stamp = stampOf(root);
const out = join(root, `dist.tmp-${process.pid}`);
rmSync(out, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], {
  stdio: 'inherit',
});
if (compiled.status !== 0) {
  rmSync(out, { recursive: true, force: true });
  console.error('duban build: tsc failed; dist/ is unchanged.');
  process.exit(1);
}
for (const file of sourceFiles(root)) {
  if (file.endsWith('.ts') || !file.includes('/')) continue;
  mkdirSync(dirname(join(out, file)), { recursive: true });
  copyFileSync(join(root, file), join(out, file));
}
writeFileSync(join(out, STAMP), `${JSON.stringify(stamp, null, 1)}\n`);

const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
try {
  renameSync(out, dist);
} catch (error) {
  // Another build finished first (two installs at once); its dist/ is built from the same sources.
  rmSync(out, { recursive: true, force: true });
  if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
}
console.error(`duban build: dist/ compiled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
