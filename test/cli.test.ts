import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xlsx } from './spreadsheet/helpers.ts';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'duban.js');

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the duban CLI as a user would, with only the given environment, from the TypeScript sources (test/cli-build.test.ts runs dist/). */
function duban(args: string[], env: Record<string, string> = {}, opts: { input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DUBAN_TSX: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-cli-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('duban demo', () => {
  it('answers one command from the bundled seed and exits', async () => {
    const r = await duban(['demo', '--now', '2026-11-28', '/targets 经发局']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('经发局 · 目标');
    expect(r.stdout).toContain('规上工业增加值增速');
    expect(r.stdout).toMatch(/目标不低于 7\.5%，最新 [\d.]+%/);
  });

  it('shows the zone as it was on an earlier --now, leaving out later reports', async () => {
    const r = await duban(['demo', '--now', '2026-06-15', '/targets t-hurdb-renewal-starts']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('截至 2026年6月15日');
    expect(r.stdout).toContain('11 / 40 项');
    expect(r.stdout).toContain('最近报送：5月29日');
    expect(r.stdout).not.toMatch(/最近报送：(6月(1[6-9]|[23]\d)日|[7-9]月|1[0-2]月)/);
  });

  it('speaks English when asked, and treats @duban as a mention', async () => {
    const r = await duban(['demo', '--now', '2026-11-28', '@duban who is behind?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Behind and at risk, worst first');
  });

  it('reads commands interactively until exit', async () => {
    const r = await duban(
      ['demo', '--now', '2026-11-28'],
      {},
      { input: '/projects 城市更新\n@duban 帮助\nexit\n/targets\n' },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('项目 ·「城市更新」');
    expect(r.stdout).toContain('督办 · 使用帮助');
    expect(r.stdout).not.toContain('目标总览');
  });

  it('answers dates that do not exist by naming the field, with no stack, and goes on to the next line', async () => {
    const r = await duban(
      ['demo', '--now', '2026-11-28'],
      {},
      { input: '/duban calendar holiday 2027-02-30\n/duban away 2026-02-30 2026-03-01\n/targets 经发局\n' },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('日期「2027-02-30」不是有效的日期');
    expect(r.stdout).toContain('/duban calendar holiday 2027-01-01');
    expect(r.stdout).toContain('开始日期「2026-02-30」不是有效的日期');
    expect(r.stdout).toContain('/duban away 2026-12-01 2026-12-05');
    expect(r.stdout).toContain('经发局 · 目标');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/ZodError|\n\s+at /);
  });

  it('answers a bad date in English as a single command', async () => {
    const r = await duban(['demo', '--now', '2026-11-28', '--locale', 'en', '/duban calendar holiday 2027-02-30']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The date “2027-02-30” is not a valid date');
    expect(r.stderr).toBe('');
  });

  it("prints the reminders a run would send, to each department's channel, when asked to remind now", async () => {
    const r = await duban(['demo', '--now', '2026-11-30', '/duban remind now 住建局']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/── → C0DEMO\d{3} ──\n督办提醒 · 住建局：\d+ 项需要关注/);
    expect(r.stdout).toContain('住建局：已发送');
  });

  it('explains a bad option and exits non-zero', async () => {
    const r = await duban(['demo', '--now', 'tomorrow', '--locale', 'fr', '/targets']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--now: expected YYYY-MM-DD');
    expect(r.stderr).toContain('--locale: expected zh-CN or en');
  });
});

describe('duban demo on a zone of its own', { timeout: 90_000 }, () => {
  const OWN = join(ROOT, 'test', 'fixtures', 'import', 'own-zone.json');
  let store: string;
  beforeAll(async () => {
    store = join(dir, 'own-zone-db.json');
    const imported = await duban(['import', OWN], { DATA_FILE: store });
    expect(imported.code, imported.stderr).toBe(0);
  });

  /** The data file and its journal, byte for byte. */
  async function bytesOf(file: string): Promise<string[]> {
    const journal = join(dirname(file), `${basename(file, '.json')}.journal`);
    const names = (await readdir(journal).catch(() => [] as string[])).sort();
    return [await readFile(file, 'utf8'), ...(await Promise.all(names.map((n) => readFile(join(journal, n), 'utf8'))))];
  }

  it('shows the zone in DATA_FILE, and says at start which zone and which file', async () => {
    const r = await duban(['demo', '--now', '2026-11-28'], { DATA_FILE: store }, { input: '/targets\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      '督办 duban 本地控制台 · 青山经济开发区',
      `数据文件：${store}（演示用户为管理员；修改只保存在内存中，不会写回文件）`,
    ]);
    expect(r.stdout).toContain('青山经济开发区 · 目标总览');
    expect(r.stdout).toContain('投促局');
    expect(r.stdout).not.toMatch(/南通|经发局/);
  });

  it('says so in English too', async () => {
    const r = await duban(['demo', '--now', '2026-11-28', '--locale', 'en'], { DATA_FILE: store }, { input: 'exit\n' });
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      'duban local console · Qingshan Development Zone',
      `Data file: ${store} (the demo user is an admin; changes stay in memory and are never written back)`,
    ]);
  });

  it('leaves out the store’s reports made after --now', async () => {
    const may = await duban(['demo', '--now', '2026-05-15', '/targets t-firms'], { DATA_FILE: store });
    expect(may.code, may.stderr).toBe(0);
    expect(may.stdout).toContain('截至 2026年5月15日');
    expect(may.stdout).toContain('9 / 40 家');
    expect(may.stdout).not.toContain('上半年累计签约21家');
    const november = await duban(['demo', '--now', '2026-11-28', '/targets t-firms'], { DATA_FILE: store });
    expect(november.stdout).toContain('33 / 40 家');
    expect(november.stdout).toContain('前三季度累计签约33家');
  });

  it('never writes the data file, even when progress is logged in the console', async () => {
    const before = await bytesOf(store);
    const r = await duban(['demo', '--now', '2026-11-28', '/progress t-firms 35 新签约2家'], { DATA_FILE: store });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('35');
    expect(await bytesOf(store)).toEqual(before);
  });

  it('takes --data before DATA_FILE: an import file, or a workbook in the template’s shape', async () => {
    const json = await duban(
      ['demo', '--data', 'test/fixtures/import/own-zone.json', '--now', '2026-11-28'],
      { DATA_FILE: join(dir, 'elsewhere.json') },
      { input: '/projects\n' },
    );
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout.split('\n')[1]).toBe(
      '导入文件：test/fixtures/import/own-zone.json（演示用户为管理员；修改只保存在内存中，不会写回文件）',
    );
    expect(json.stdout).toContain('青山湿地公园');

    const workbook = join(dir, 'zone.xlsx');
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
    const xl = await duban(['demo', '--data', workbook, '--now', '2026-11-28'], {}, { input: '/targets 科创局\n' });
    expect(xl.code, xl.stderr).toBe(0);
    expect(xl.stdout.split('\n').slice(0, 2)).toEqual([
      '督办 duban 本地控制台 · 白鹭湾高新区',
      `导入文件：${workbook}（演示用户为管理员；修改只保存在内存中，不会写回文件）`,
    ]);
    expect(xl.stdout).toContain('新增高新技术企业');
  });

  it('shows the bundled sample without DATA_FILE or --data, and says so', async () => {
    const r = await duban(['demo', '--now', '2026-11-28'], {}, { input: 'exit\n' });
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      '督办 duban 本地控制台 · 南通经济技术开发区',
      '内置示例数据：data/seed/nantong-2026.json（演示用户为管理员；修改只保存在内存中，不会写回文件）',
    ]);
  });

  it('explains a missing DATA_FILE, a store with nothing in it and a workbook with problems in one message each, with no stack', async () => {
    const missing = await duban(['demo', '/targets'], { DATA_FILE: join(dir, 'not-there.json') });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      `duban: DATA_FILE 指向的 ${join(dir, 'not-there.json')} 不存在。先导入本区数据（npx duban template 本区.xlsx --zone "某某开发区"，填写后 npx duban import 本区.xlsx），或不设 DATA_FILE、不加 --data，查看内置示例。`,
    );
    const emptyStore = join(dir, 'empty-store.json');
    await writeFile(emptyStore, JSON.stringify({ version: 2 }));
    const empty = await duban(['demo', '--locale', 'en', '/targets'], { DATA_FILE: emptyStore });
    expect(empty.code).toBe(1);
    expect(empty.stderr.trim()).toBe(
      `duban: DATA_FILE: ${emptyStore} has no departments yet, so there is nothing to show. Import your zone first: npx duban import zone.xlsx`,
    );
    const bad = join(dir, 'bad-zone.xlsx');
    await writeFile(
      bad,
      await xlsx({
        部门: [
          ['部门编号', '简称'],
          ['x', 'X'],
        ],
        指标: [
          ['牵头单位', '指标名称', '目标值', '单位', '完成时限'],
          ['X', 'a', 1, '项', '2026-12-31'],
          ['X', 'b', 2, '项', '2026-12-31'],
        ],
      }),
    );
    const problems = await duban(['demo', '--data', bad, '/targets'], {});
    expect(problems.code).toBe(1);
    expect(problems.stderr.trim().split('\n')).toEqual([
      `duban: --data：无法读取 ${bad}，共 1 处问题：`,
      '  『部门』第 1 行：缺少必填列『部门名称』（Department name），本表的行都未读取：请在表头行加上这一列后重新导入',
    ]);
    expect(`${missing.stderr}${empty.stderr}${problems.stderr}`).not.toMatch(/\n\s+at |Error:/);
  });
});

describe('duban import and check', () => {
  it('imports the seed into DATA_FILE, then finds it valid', async () => {
    const dataFile = join(dir, 'db.json');
    const imported = await duban(['import', 'data/seed/nantong-2026.json'], { DATA_FILE: dataFile });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/projects\s+\d+ new/);
    const checked = await duban(['check'], { DATA_FILE: dataFile });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/is valid: 6 departments/);
  });

  it('reports every problem in a bad store and leaves it untouched', async () => {
    const dataFile = join(dir, 'bad.json');
    const text = JSON.stringify({ version: 1, departments: [{ id: 'x', name: { zh: '' } }], targets: 'none' });
    await writeFile(dataFile, text);
    const r = await duban(['check'], { DATA_FILE: dataFile });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(dataFile);
    expect(r.stderr).toMatch(/departments\[id=x\]\.name\.zh/);
    expect(r.stderr).toMatch(/targets: /);
    expect(await readFile(dataFile, 'utf8')).toBe(text);
  });

  it('writes nothing on a dry run', async () => {
    const dataFile = join(dir, 'dry.json');
    const r = await duban(['import', '--dry-run', 'data/seed/nantong-2026.json'], { DATA_FILE: dataFile });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing written');
    await expect(stat(dataFile)).rejects.toThrow();
  });
});

describe('duban schema', () => {
  it('prints the JSON Schema committed in docs/', async () => {
    const r = await duban(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(
      JSON.parse(await readFile(join(ROOT, 'docs', 'data-format.schema.json'), 'utf8')),
    );
  });
});

describe('duban start', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => fake.close());

  it('names every missing setting and exits 1', async () => {
    const r = await duban(['start'], { PORT: 'x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SLACK_BOT_TOKEN: not set');
    expect(r.stderr).toContain('SLACK_SIGNING_SECRET: not set');
    expect(r.stderr).toContain('PORT:');
  });

  it('serves /healthz once ready, refuses a second process on the same data file, and stops on SIGTERM', async () => {
    const port = await freePort();
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-test-cli',
      SLACK_SIGNING_SECRET: 'cliSigningSecret0123456789',
      SLACK_API_URL: fake.url,
      PORT: String(port),
      DATA_FILE: join(dir, 'live.json'),
      LOG_LEVEL: 'info',
    };
    const child = spawn(process.execPath, [BIN, 'start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DUBAN_TSX: '1', ...env },
    });
    let logs = '';
    child.stdout.on('data', (d) => (logs += d));
    child.stderr.on('data', (d) => (logs += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      let health: Response | undefined;
      for (let i = 0; i < 100 && !health; i++) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.status, logs).toBe(200);
      expect(await health!.json()).toMatchObject({ status: 'ok', mode: 'http' });

      const second = await duban(['start'], { ...env, PORT: String(await freePort()) });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('in use by another duban process');
      expect(logs).not.toContain('xoxb-test-cli');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
