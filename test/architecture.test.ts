import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAST } from '../vitest.config.ts';

const ROOT = join(import.meta.dirname, '..');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('dependencies point inward', () => {
  it.each([
    [
      'src/domain',
      ['@slack/bolt', 'lowdb', 'node-cron', 'openai', '../store', '../slack', '../i18n', '../../commands'],
    ],
    ['commands', ['@slack/bolt', 'lowdb', 'node-cron', 'openai', '../src/slack', '../src/store']],
    ['src/i18n', ['@slack/bolt', 'lowdb', '../domain', '../../commands']],
    // Plain words for every surface: below both the replies and the file formats.
    ['src/words', ['@slack/bolt', 'lowdb', 'exceljs', '../store', '../slack', '../spreadsheet', '../../commands']],
    // A file format, never a use case: it takes its words from src/words, not from the replies.
    ['src/spreadsheet', ['@slack/bolt', '../../commands', '../slack']],
  ])('%s imports none of %j', async (dir, forbidden) => {
    for (const file of await sources(dir)) {
      for (const spec of await importsOf(file)) {
        for (const f of forbidden) expect(spec.startsWith(f), `${file} imports ${spec}`).toBe(false);
      }
    }
  });

  it.each([
    ['lowdb', 'src/store'],
    ['@slack/bolt', 'src/slack'],
    ['proper-lockfile', 'src/store'],
    ['openai', 'src/llm'],
    ['docx', 'src/documents'],
  ])('only %s imports %s', async (pkg, home) => {
    const offenders: string[] = [];
    for (const dir of ['src', 'commands']) {
      for (const file of await sources(dir)) {
        if (file.startsWith(home)) continue;
        const specs = await importsOf(file);
        // The console renders Block Kit types from Bolt's type exports only; type imports are erased.
        const text = await readFile(join(ROOT, file), 'utf8');
        if (specs.includes(pkg) && !new RegExp(`import type [^;]*from ['"]${pkg}['"]`).test(text)) offenders.push(file);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps the optional model at the edge: commands know only its port, never src/llm', async () => {
    for (const file of await sources('commands')) {
      for (const spec of await importsOf(file))
        expect(spec.includes('/src/llm/'), `${file} imports ${spec}`).toBe(false);
    }
    const importers: string[] = [];
    for (const file of await sources('src/llm')) if ((await importsOf(file)).includes('openai')) importers.push(file);
    expect(importers).toEqual(['src/llm/openai-client.ts']);
  });

  it('reads process.env only in main.ts and config.ts defaults', async () => {
    const offenders: string[] = [];
    for (const dir of ['src', 'commands']) {
      for (const file of await sources(dir)) {
        const text = await readFile(join(ROOT, file), 'utf8');
        if (/process\.env/.test(text) && !['src/main.ts', 'src/config.ts'].includes(file)) offenders.push(file);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('reads the clock only in main.ts (domain and commands take `today`)', async () => {
    const offenders: string[] = [];
    for (const dir of ['src/domain', 'commands']) {
      for (const file of await sources(dir)) {
        const text = await readFile(join(ROOT, file), 'utf8');
        if (/new Date\(\)|Date\.now\(\)/.test(text)) offenders.push(file);
      }
    }
    expect(offenders).toEqual([]);
  });
});

/** The modules a file loads when run: its imports, re-exports and literal dynamic imports, `import type` left out. */
async function loadedBy(file: string): Promise<string[]> {
  const text = await readFile(join(ROOT, file), 'utf8');
  const statics = [...text.matchAll(/^\s*(?:import|export)(\s+type\b)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)]
    .filter((m) => !m[1])
    .map((m) => m[2]!);
  const bare = [...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  const dynamic = [...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  return [...statics, ...bare, ...dynamic].map((spec) =>
    spec.startsWith('.') ? relative(ROOT, join(ROOT, dirname(file), spec)) : spec,
  );
}

/** The import chain from `file` to a module `bad` accepts, if its imports reach one. */
async function chainTo(file: string, bad: (module: string) => boolean): Promise<string[] | undefined> {
  const from = new Map<string, string | undefined>([[file, undefined]]);
  const queue = [file];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (bad(next)) {
      const chain: string[] = [];
      for (let at: string | undefined = next; at !== undefined; at = from.get(at)) chain.unshift(at);
      return chain;
    }
    if (!/\.[cm]?[jt]s$/.test(next) || next.startsWith('node:') || !next.includes('/') || next.startsWith('@'))
      continue;
    const specs = await loadedBy(next).catch(() => []);
    for (const spec of specs)
      if (!from.has(spec)) {
        from.set(spec, next);
        queue.push(spec);
      }
  }
  return undefined;
}

function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .split('**/')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${pattern}$`);
}

describe('the fast tier', () => {
  it('never loads Bolt: no fast test file reaches @slack/bolt or test/support/app.ts through its imports', async () => {
    const patterns = FAST.map(globToRegExp);
    const files = (await sources('test')).filter((f) => patterns.some((p) => p.test(f)));
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const file of files) {
      const chain = await chainTo(file, (m) => m === '@slack/bolt' || m === 'test/support/app.ts');
      if (chain) offenders.push(chain.join(' → '));
    }
    expect(offenders).toEqual([]);
  });
});
