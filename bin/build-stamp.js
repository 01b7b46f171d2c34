// Whether dist/ was compiled from the sources as they are now. `npm run build` (bin/build.js) writes
// dist/build-stamp.json listing every source file with its size, modification time and SHA-256;
// bin/duban.js runs dist/ only while that list still describes the checkout. A file whose size and
// time match is taken as is (a stat per file: a few milliseconds); one whose time differs (a
// checkout, a copy) is hashed, so only a change of content, an added or a removed file makes
// dist/ stale. Plain JavaScript: it runs before anything is compiled.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const STAMP = 'build-stamp.json';

/** The folders compiled; tsconfig.build.json includes the same, and excludes the same benchmarks. */
const SOURCE_DIRS = ['src', 'commands'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];
const skipped = (name) => name.endsWith('.bench.ts');

/** Every source file the build reads, as sorted `/`-separated paths relative to root. */
export function sourceFiles(root) {
  const files = CONFIGS.filter((f) => existsSync(join(root, f)));
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !skipped(entry.name)) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir));
  return files.sort();
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The stamp of the sources as they are now; the build takes it before compiling. */
export function stampOf(root) {
  const sources = {};
  for (const file of sourceFiles(root)) {
    const s = statSync(join(root, file));
    sources[file] = { size: s.size, mtimeMs: s.mtimeMs, sha256: sha256(join(root, file)) };
  }
  return { sources };
}

/**
 * Why dist/ cannot be run, in a few words, or undefined when it can: it was built from exactly the
 * sources in root. A deployment that ships dist/ without src/ has nothing to compare and runs dist/.
 */
export function staleness(root, dist = join(root, 'dist')) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(dist, STAMP), 'utf8'));
  } catch {
    return 'dist/ has no compiled build';
  }
  if (!existsSync(join(root, 'src'))) return undefined;
  const built = stamp.sources ?? {};
  const now = sourceFiles(root);
  for (const file of now) {
    const was = Object.hasOwn(built, file) ? built[file] : undefined;
    if (!was) return `${file} was added after dist/ was built`;
    const s = statSync(join(root, file));
    if (s.size === was.size && s.mtimeMs === was.mtimeMs) continue;
    if (s.size !== was.size || sha256(join(root, file)) !== was.sha256) return `${file} changed after dist/ was built`;
  }
  const present = new Set(now);
  for (const file of Object.keys(built)) if (!present.has(file)) return `${file} was removed after dist/ was built`;
  return undefined;
}
