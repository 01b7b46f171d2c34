import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

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
