/**
 * The compiled CLI (issue 15): bin/duban.js runs dist/ when it was built from the sources as they are,
 * and the TypeScript sources through tsx, saying why, when it was not. The tests work on a copy of the
 * package in a temporary directory (node_modules and data linked), so changing a source there touches
 * nothing here; its dist/ is the checkout's own when that is fresh (`npm ci` built it), or built once.
 * Every module a run loads is recorded (test/support/loaded-modules.mjs, worker threads included).
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAMP, staleness, stampOf } from '../bin/build-stamp.js';
import { xlsx } from './spreadsheet/helpers.ts';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.ts';

const ROOT = join(import.meta.dirname, '..');
const HOOK = join(ROOT, 'test', 'support', 'loaded-modules.mjs');

type Run = { code: number | null; stdout: string; stderr: string; loaded: string[] };

let pkg: string;
let runs = 0;

/** Runs the copy's bin/duban.js as a user would, recording the modules it loads. */
function duban(args: string[], env: Record<string, string> = {}, input = ''): Promise<Run> {
  const loadedFile = join(pkg, `loaded-${++runs}.txt`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', HOOK, join(pkg, 'bin', 'duban.js'), ...args], {
      cwd: pkg,
      env: { PATH: process.env.PATH ?? '', DUBAN_LOADED: loadedFile, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', async (code) => {
      const loaded = (await readFile(loadedFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      resolve({ code, stdout, stderr, loaded });
    });
    child.stdin.end(input);
  });
}

/** duban's own modules that a run loaded, relative to the copy (`dist/src/main.js`, `src/main.ts`). */
const own = (run: Run) =>
  run.loaded.filter((u) => u.startsWith(`file://${pkg}/`)).map((u) => u.slice(`file://${pkg}/`.length));
const tsxLoaded = (run: Run) => run.loaded.some((u) => u.includes('/node_modules/tsx/'));

function build(): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(pkg, 'bin', 'build.js')], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

beforeAll(async () => {
  pkg = await mkdtemp(join(tmpdir(), 'duban-build-'));
  for (const name of ['src', 'commands', 'bin', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
    await cp(join(ROOT, name), join(pkg, name), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  await symlink(join(ROOT, 'data'), join(pkg, 'data'), 'dir');
  if (staleness(ROOT) === undefined) await cp(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true });
  else expect(await build()).toBe(0);
  expect(staleness(pkg)).toBeUndefined();
}, 180_000);
afterAll(async () => rm(pkg, { recursive: true, force: true }));

describe('the compiled CLI', { timeout: 90_000 }, () => {
  it('answers a console command from dist/, loading no TypeScript and not tsx', async () => {
    const r = await duban(['demo', '--now', '2026-11-28'], {}, '/targets 经发局\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('内置示例数据：data/seed/nantong-2026.json');
    expect(r.stdout).toContain('经发局 · 目标');
    expect(r.stdout).toMatch(/目标不低于 7\.5%，最新 [\d.]+%/);
    expect(own(r)).toContain('dist/src/main.js');
    expect(own(r).filter((f) => !f.startsWith('dist/') && !f.startsWith('bin/'))).toEqual([]);
    expect(tsxLoaded(r)).toBe(false);
  });

  it('reads an uploaded workbook in the compiled worker thread', async () => {
    const workbook = join(pkg, 'zone.xlsx');
    await writeFile(
      workbook,
      await xlsx({
        基本信息: [['开发区名称', '白鹭湾高新区']],
        部门: [
          ['部门名称', '简称'],
          ['科技创新局', '科创局'],
        ],
        指标: [
          ['牵头单位', '指标名称', '目标值', '单位', '完成时限'],
          ['科创局', '新增高新技术企业', 30, '家', '2026-12-31'],
        ],
      }),
    );
    const r = await duban(['import', workbook], { DATA_FILE: join(pkg, 'db.json') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/targets\s+1 new/);
    expect(own(r)).toEqual(
      expect.arrayContaining(['dist/src/spreadsheet/read-worker.mjs', 'dist/src/spreadsheet/read-worker.js']),
    );
    expect(own(r).filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(tsxLoaded(r)).toBe(false);
  });

  it('draws a chart in the compiled renderer’s worker thread', async () => {
    const renderer: typeof import('../src/charts/renderer.ts') = await import(
      join(pkg, 'dist', 'src', 'charts', 'renderer.js')
    );
    const charts = renderer.createChartRenderer({ scale: 1 });
    try {
      const image = await charts.render({
        kind: 'ranking',
        option: {
          xAxis: { type: 'category', data: ['经发局', '住建局'] },
          yAxis: {},
          series: [{ type: 'bar', data: [3, 5] }],
        },
        width: 320,
        height: 200,
        title: '排名',
        alt: '经发局 3，住建局 5',
        name: 'ranking',
      });
      expect(image.png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect({ width: image.width, height: image.height }).toEqual({ width: 320, height: 200 });
    } finally {
      await charts.close();
    }
  });

  it('serves /healthz from dist/ and stops on SIGTERM', async () => {
    const fake: FakeSlack = await startFakeSlack();
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const loadedFile = join(pkg, 'loaded-start.txt');
    const child = spawn(process.execPath, ['--import', HOOK, join(pkg, 'bin', 'duban.js'), 'start'], {
      cwd: pkg,
      env: {
        PATH: process.env.PATH ?? '',
        DUBAN_LOADED: loadedFile,
        SLACK_BOT_TOKEN: 'xoxb-test-build',
        SLACK_SIGNING_SECRET: 'buildSigningSecret0123456789',
        SLACK_API_URL: fake.url,
        PORT: String(port),
        DATA_FILE: join(pkg, 'live.json'),
        LOG_LEVEL: 'warn',
      },
    });
    let logs = '';
    child.stdout.on('data', (d) => (logs += d));
    child.stderr.on('data', (d) => (logs += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      let health: Response | undefined;
      for (let i = 0; i < 200 && !health; i++) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.status, logs).toBe(200);
      expect(await health!.json()).toMatchObject({ status: 'ok', mode: 'http' });
    } finally {
      child.kill('SIGTERM');
      await fake.close();
    }
    expect(await exited).toBe(0);
    const loaded = (await readFile(loadedFile, 'utf8')).split('\n');
    expect(loaded).toContain(`file://${pkg}/dist/src/main.js`);
    expect(loaded.filter((u) => u.endsWith('.ts') || u.includes('/node_modules/tsx/'))).toEqual([]);
  });
});

describe('a dist/ older than the sources', { timeout: 90_000 }, () => {
  const CATALOGUE = () => join(pkg, 'src', 'i18n', 'zh-CN.ts');

  it('is not run: a changed source runs through tsx, saying so, and dist/ is used again once it is as built', async () => {
    const original = await readFile(CATALOGUE(), 'utf8');
    expect(original).toContain('本地控制台');
    await writeFile(CATALOGUE(), original.replace('督办 duban 本地控制台', '督办 duban 本地控制台（改过的源码）'));
    try {
      const changed = await duban(['demo', '--now', '2026-11-28'], {}, '/targets 经发局\n');
      expect(changed.code, changed.stderr).toBe(0);
      expect(changed.stderr).toBe(
        'duban: src/i18n/zh-CN.ts changed after dist/ was built; running the TypeScript sources through tsx (npm run build compiles them)\n',
      );
      expect(changed.stdout).toContain('本地控制台（改过的源码）');
      expect(changed.stdout).toContain('经发局 · 目标');
      expect(own(changed)).toContain('src/main.ts');
      expect(own(changed).filter((f) => f.startsWith('dist/'))).toEqual([]);
    } finally {
      await writeFile(CATALOGUE(), original);
    }
    // The same words again, saved later than the build: their hash matches, so dist/ runs.
    const restored = await duban(['demo', '--now', '2026-11-28'], {}, '/targets 经发局\n');
    expect(restored.stderr).toBe('');
    expect(restored.stdout).not.toContain('改过的源码');
    expect(own(restored)).toContain('dist/src/main.js');
  });

  it('runs the sources without a word under DUBAN_TSX=1', async () => {
    const r = await duban(['demo', '--now', '2026-11-28', '/targets 经发局'], { DUBAN_TSX: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('经发局 · 目标');
    expect(own(r)).toContain('src/main.ts');
    expect(tsxLoaded(r)).toBe(true);
  });
});

describe('staleness of a build stamp', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'duban-stamp-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  type Case = { name: string; change: (at: string) => Promise<unknown>; why: string | undefined };
  const T = new Date('2026-01-02T03:04:05Z');
  const cases: Case[] = [
    { name: 'nothing changed', change: async () => undefined, why: undefined },
    {
      name: 'a file saved again with the same bytes',
      change: (at) => utimes(join(at, 'src/a.ts'), T, T),
      why: undefined,
    },
    {
      name: 'one byte changed, same size',
      change: async (at) => {
        await writeFile(join(at, 'src/a.ts'), 'export const a = 2;\n');
        await utimes(join(at, 'src/a.ts'), T, T);
      },
      why: 'src/a.ts changed after dist/ was built',
    },
    {
      name: 'a file grew',
      change: (at) => writeFile(join(at, 'commands/b.ts'), 'export const b = 10;\n'),
      why: 'commands/b.ts changed after dist/ was built',
    },
    {
      name: 'a file added',
      change: (at) => writeFile(join(at, 'src/deep/c.ts'), 'export {};\n'),
      why: 'src/deep/c.ts was added after dist/ was built',
    },
    {
      name: 'a worker entry removed',
      change: (at) => rm(join(at, 'src/w.mjs')),
      why: 'src/w.mjs was removed after dist/ was built',
    },
    {
      name: 'the build configuration changed',
      change: (at) => writeFile(join(at, 'tsconfig.build.json'), '{"compilerOptions":{"outDir":"out"}}'),
      why: 'tsconfig.build.json changed after dist/ was built',
    },
    { name: 'no stamp', change: (at) => rm(join(at, 'dist', STAMP)), why: 'dist/ has no compiled build' },
    {
      name: 'dist/ shipped without the sources',
      change: (at) => rm(join(at, 'src'), { recursive: true }),
      why: undefined,
    },
    {
      name: 'a benchmark file beside the sources (not compiled)',
      change: (at) => writeFile(join(at, 'src/x.bench.ts'), 'export {};\n'),
      why: undefined,
    },
  ];

  it.each(cases)('$name → $why', async ({ change, why }) => {
    const at = await mkdtemp(join(root, 'pkg-'));
    await mkdir(join(at, 'src', 'deep'), { recursive: true });
    await mkdir(join(at, 'commands'));
    await mkdir(join(at, 'dist'));
    await writeFile(join(at, 'src/a.ts'), 'export const a = 1;\n');
    await writeFile(join(at, 'src/w.mjs'), 'export {};\n');
    await writeFile(join(at, 'commands/b.ts'), 'export const b = 1;\n');
    await writeFile(join(at, 'tsconfig.build.json'), '{}');
    await writeFile(join(at, 'dist', STAMP), JSON.stringify(stampOf(at)));
    await change(at);
    expect(staleness(at)).toBe(why);
  });
});
