/** src/spreadsheet is pure: bytes and data in, bytes and data out; no store, Slack, environment or clock. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../src/spreadsheet');
const files = (await readdir(DIR)).filter((f) => f.endsWith('.ts'));
const sources = await Promise.all(files.map(async (f) => ({ f, text: await readFile(join(DIR, f), 'utf8') })));

describe('src/spreadsheet', () => {
  it('has modules to check', () => {
    expect(files).toContain('read.ts');
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(['../store', '../slack', '@slack/bolt', 'lowdb', 'node:fs', 'commander'])(
    'imports nothing from %s',
    (forbidden) => {
      const offenders = sources
        .filter(({ text }) => [...text.matchAll(/from\s+['"]([^'"]+)['"]/g)].some((m) => m[1]!.startsWith(forbidden)))
        .map(({ f }) => f);
      expect(offenders).toEqual([]);
    },
  );

  it('reads neither the environment nor the clock', () => {
    const offenders = sources
      .filter(({ text }) => /process\.env|new Date\(\)|Date\.now\(\)/.test(text))
      .map(({ f }) => f);
    expect(offenders).toEqual([]);
  });
});
