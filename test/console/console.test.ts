/**
 * The local console answers line after line: an unexpected failure on one line gets a short apology,
 * never a stack, before the next line is answered. (A user's mistake in the console, e.g. a date that
 * does not exist, is tested through the real CLI in test/cli.test.ts.)
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConsoleDeps, type ConsoleSource, runConsole } from '../../src/console/console.ts';
import type { WritePort } from '../../src/domain/ports.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { SEED_NOW } from '../support/seed-clock.ts';
import { SEED_FILE } from '../support/seed-model.ts';

let store: Store | undefined;
afterEach(async () => store?.close());

async function seedStore(): Promise<Store> {
  const clock = () => SEED_NOW;
  const s = await openStore('(test)', { timeZone: 'Asia/Shanghai', memory: true, clock });
  await importIntoStore(s, SEED_FILE, { now: SEED_NOW, by: 'seed' });
  return s;
}

/** Types `lines` into a console over `port` and returns everything it printed. */
async function session(
  lines: string[],
  port: WritePort,
  locale: Locale = 'zh-CN',
  extra: Partial<ConsoleDeps> = {},
): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d) => (printed += String(d)));
  const source = { zone: '南通经济技术开发区', kind: 'store' as const, file: 'data/db.json' };
  const deps: ConsoleDeps & { source: ConsoleSource } = {
    store: port,
    clock: () => SEED_NOW,
    timeZone: 'Asia/Shanghai',
    locale,
    userId: 'U0DEMO0001',
    isAdmin: true,
    source,
    ...extra,
  };
  const done = runConsole(deps, input, output);
  input.end(`${lines.join('\n')}\n`);
  await done;
  return printed;
}

describe('the console, line by line', () => {
  it('says first which zone it shows and from which file, in the console’s language', async () => {
    store = await seedStore();
    const zh = await session([], store, 'zh-CN', {
      source: { zone: '青山经济开发区', kind: 'import', file: 'qingshan.xlsx' },
    });
    expect(zh.split('\n').slice(0, 2)).toEqual([
      '督办 duban 本地控制台 · 青山经济开发区',
      '导入文件：qingshan.xlsx（演示用户为管理员；修改只保存在内存中，不会写回文件）',
    ]);
    const en = await session([], store, 'en', {
      source: { zone: 'Qingshan Development Zone', kind: 'store', file: 'data/db.json' },
    });
    expect(en.split('\n').slice(0, 2)).toEqual([
      'duban local console · Qingshan Development Zone',
      'Data file: data/db.json (the demo user is an admin; changes stay in memory and are never written back)',
    ]);
  });

  it('apologises for a line that fails unexpectedly, without a stack, tells onError, and answers the next line', async () => {
    store = await seedStore();
    const real = store;
    let calls = 0;
    // The store fails on the first line only, as a bug or a full disk might.
    const flaky: WritePort = {
      model: () => {
        calls += 1;
        if (calls === 1) throw new Error('boom: something internal');
        return real.model();
      },
      transact: (fn) => real.transact(fn),
      history: (filter) => real.history(filter),
      remember: (change) => real.remember(change),
    };
    const errors: unknown[] = [];
    const out = await session(['/targets 住建局', '/targets 经发局'], flaky, 'zh-CN', {
      onError: (e) => errors.push(e),
    });
    expect(out).toContain('抱歉，这一行没能处理好');
    expect(out).not.toContain('boom');
    expect(out).not.toMatch(/\n\s+at /);
    expect(out).toContain('经发局 · 目标');
    expect(errors).toHaveLength(1);
  });

  it('apologises in English when the console speaks English', async () => {
    store = await seedStore();
    const real = store;
    const broken: WritePort = {
      ...real,
      model: () => {
        throw new Error('boom');
      },
      transact: (fn) => real.transact(fn),
      history: (f) => real.history(f),
      remember: (c) => real.remember(c),
    };
    const out = await session(['/targets', 'home'], broken, 'en');
    expect(out.match(/Sorry, something went wrong with that line/g)).toHaveLength(2);
  });
});
