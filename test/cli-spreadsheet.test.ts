/**
 * The spreadsheet commands of the CLI, run as a user would (bin/duban.js in a child process, a temp
 * DATA_FILE): import .xlsx, .csv (UTF-8, BOM, GBK) and compare the store; dry runs; problems with
 * exit 1 and the data file byte-for-byte unchanged; the template; export, and importing the export
 * back changes nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngSize } from '../src/charts/renderer.ts';
import type { JournalEvent } from '../src/domain/journal.ts';
import type { StoreState } from '../src/domain/state.ts';
import { readSpreadsheet } from '../src/spreadsheet/index.ts';
import { importIntoStore } from '../src/store/import.ts';
import { JournalFiles } from '../src/store/journal-files.ts';
import { journalDirOf, loadState, openStore } from '../src/store/store.ts';
import { csvText, fileOf, loadWorkbook, xlsx } from './spreadsheet/helpers.ts';
import { rowsBomb, wholeSheetMerge } from './spreadsheet/hostile-files.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'duban.js');
const SEED = join(ROOT, 'data', 'seed', 'nantong-2026.json');
const TZ = 'Asia/Shanghai';

type Run = { code: number | null; stdout: string; stderr: string; stdoutBytes: Buffer };

function duban(args: string[], env: Record<string, string>, cwd = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', DUBAN_TSX: '1', ...env },
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes });
    });
    child.stdin.end();
  });
}

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-cli-sheet-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** A fresh data file in the temp folder, optionally with the bundled seed imported. */
async function dataFile(withSeed: boolean): Promise<{ DATA_FILE: string }> {
  n += 1;
  const env = { DATA_FILE: join(dir, `db-${n}.json`) };
  if (withSeed) {
    // In process: a spawn per test only for what the test is about.
    const store = await openStore(env.DATA_FILE, { timeZone: TZ });
    await importIntoStore(store, SEED, { now: new Date() });
    await store.close();
  }
  return env;
}

async function put(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** Every byte of the data file and its journal, to prove nothing was written. */
async function bytesOf(file: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  out[file] = await readFile(file, 'utf8').catch(() => '(missing)');
  const journal = journalDirOf(file);
  for (const name of await readdir(journal).catch(() => [] as string[]))
    out[name] = await readFile(join(journal, name), 'utf8');
  return out;
}

async function stateOf(file: string): Promise<{ state: StoreState; history: JournalEvent[] }> {
  const { state } = await loadState(file, TZ);
  const history = await new JournalFiles(journalDirOf(file)).readAll(state.journal.chunks.map((c) => c.name));
  return { state, history };
}

const updateIds = (history: JournalEvent[]) =>
  history.flatMap((e) => (e.type === 'update' ? [e.update.id] : [])).sort();

const TARGETS_HEAD = ['牵头单位', '指标名称', '目标值', '单位', '完成时限'];
const NEW_TARGETS = [
  TARGETS_HEAD,
  ['住建局', '海绵城市改造面积', 120, '万平方米', '2026-12-31'],
  ['住建局', '城市更新项目开工数', 45, '项', '2026-12-31'],
];

describe('duban import FILE.xlsx', { timeout: 60_000 }, () => {
  it('upserts the workbook into the store, exactly what readSpreadsheet reads with the store’s items', async () => {
    const env = await dataFile(true);
    const before = await stateOf(env.DATA_FILE);
    const bytes = await xlsx({ 指标: NEW_TARGETS });
    const path = await put('targets-2026.xlsx', bytes);
    const expected = fileOf(
      await readSpreadsheet(bytes, 'targets-2026.xlsx', {
        knownDepartments: before.state.departments,
        knownItems: before.state,
      }),
    );

    const r = await duban(['import', path], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Imported ${path} into ${env.DATA_FILE}`);
    expect(r.stdout).toMatch(/targets\s+1 new, 1 changed, 0 unchanged/);

    const after = await stateOf(env.DATA_FILE);
    for (const t of expected.targets) expect(after.state.targets.find((x) => x.id === t.id)).toEqual(t);
    expect(after.state.targets.find((x) => x.id === 't-hurdb-renewal-starts')?.target).toBe(45);
    expect(after.state.targets).toHaveLength(before.state.targets.length + 1);
    expect(after.state.projects).toEqual(before.state.projects);
    const event = after.history.at(-1);
    expect(event).toMatchObject({ type: 'import', by: 'import', file: 'targets-2026.xlsx' });
  });

  it('shows on --dry-run what would be new, changed and unchanged, by name, and writes nothing', async () => {
    const env = await dataFile(true);
    const before = await bytesOf(env.DATA_FILE);
    const path = await put('dry.xlsx', await xlsx({ 指标: NEW_TARGETS }));
    const r = await duban(['import', '--dry-run', path], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing written.');
    expect(r.stdout).toMatch(
      /targets\s+1 new, 1 changed, 0 unchanged\n\s+new: 海绵城市改造面积 \(t-[0-9a-f]{10}\)\n\s+changed: 城市更新项目开工数 \(t-hurdb-renewal-starts\)/,
    );
    expect(r.stdout).toMatch(/departments\s+0 new, 0 changed, 0 unchanged/);
    expect(await bytesOf(env.DATA_FILE)).toEqual(before);
  });

  it('reports every problem with sheet, row and column in BOT_LOCALE, exits 1, and leaves the data file byte-for-byte unchanged', async () => {
    const env = await dataFile(true);
    const before = await bytesOf(env.DATA_FILE);
    const path = await put(
      'bad.xlsx',
      await xlsx({
        指标: [
          TARGETS_HEAD,
          ['住建局', '老旧小区改造户数', '约7.5', '户', '2026-12-31'],
          ['住建局', '海绵城市改造面积', 120, '万平方米', '2026-02-30'],
        ],
      }),
    );
    const zh = await duban(['import', path], env);
    expect(zh.code).toBe(1);
    expect(zh.stdout).toBe('');
    expect(zh.stderr).toContain('duban: 无法导入 bad.xlsx：共 2 处问题，未写入任何内容。');
    expect(zh.stderr).toContain('『指标』第 2 行『目标值』不是数字：『约7.5』');
    expect(zh.stderr).toMatch(/『指标』第 3 行『完成时限』/);
    const en = await duban(['import', '--dry-run', path], { ...env, BOT_LOCALE: 'en' });
    expect(en.code).toBe(1);
    expect(en.stderr).toContain('Sheet 指标, row 2, 目标值: not a number: “约7.5”');
    expect(await bytesOf(env.DATA_FILE)).toEqual(before);
  });

  it('reports a missing required column once, as the cause, not the dozen row errors it would cause', async () => {
    const env = await dataFile(false);
    const rows = Array.from({ length: 12 }, (_, i) => ['经发局', `指标${i + 1}`, 10, '项', '2026-12-31']);
    const path = await put(
      'no-name-column.xlsx',
      await xlsx({
        部门: [
          ['部门编号', '简称'],
          ['edb', '经发局'],
        ],
        指标: [TARGETS_HEAD, ...rows],
      }),
    );
    const r = await duban(['import', path], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'duban: 无法导入 no-name-column.xlsx：共 1 处问题，未写入任何内容。',
      '  『部门』第 1 行：缺少必填列『部门名称』（Department name），本表的行都未读取：请在表头行加上这一列后重新导入',
    ]);
    expect(await bytesOf(env.DATA_FILE)).toEqual({ [env.DATA_FILE]: '(missing)' });
  });

  it('refuses a file that is not a spreadsheet, and one that does not exist, with one message each', async () => {
    const env = await dataFile(false);
    const pdf = await put('report.xlsx', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n', 'latin1'));
    const r = await duban(['import', pdf], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('这不是表格文件，而是PDF 文件');
    const missing = await duban(['import', join(dir, 'nope.xlsx')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([`duban: cannot read ${join(dir, 'nope.xlsx')}: ENOENT`]);
    expect(await bytesOf(env.DATA_FILE)).toEqual({ [env.DATA_FILE]: '(missing)' });
  });

  it('refuses a whole-sheet merge and a file that unpacks to 300 MB, naming the limits, without crashing, and writes nothing', async () => {
    const env = await dataFile(true);
    const before = await bytesOf(env.DATA_FILE);
    const merged = await duban(['import', await put('merged.xlsx', wholeSheetMerge())], env);
    expect(merged.code).toBe(1);
    expect(merged.stderr).toContain('duban: 无法导入 merged.xlsx：共 1 处问题，未写入任何内容。');
    expect(merged.stderr).toContain(
      '『指标』第 1 行：有合并单元格 A1:XFD1048576，覆盖 17,179,869,184 个单元格，超过上限 10,000 个：请取消合并，并在每一行填写完整',
    );
    const bomb = await duban(['import', '--dry-run', await put('bomb.xlsx', rowsBomb())], { ...env, BOT_LOCALE: 'en' });
    expect(bomb.code).toBe(1);
    expect(bomb.stderr).toContain('duban: cannot import bomb.xlsx: 1 problem; nothing was written.');
    expect(bomb.stderr).toContain(
      'Sheet bomb.xlsx: the file is too large: it unpacks to 301 MB, more than the 50 MB allowed.',
    );
    expect(merged.stderr + bomb.stderr).not.toMatch(/heap|FATAL|Error:/);
    expect(await bytesOf(env.DATA_FILE)).toEqual(before);
  });
});

describe('duban import FILE.csv', { timeout: 60_000 }, () => {
  const rows = [TARGETS_HEAD, ['中兴街道', '新建口袋公园', 8, '个', '2026-12-31']];
  it.each([
    ['UTF-8', Buffer.from(csvText(rows), 'utf8')],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText(rows), 'utf8')])],
    ['GBK (Chinese Excel)', iconv.encode(csvText(rows), 'gbk')],
  ])('imports %s', async (_label, bytes) => {
    const env = await dataFile(true);
    const path = await put(`指标-${n}.csv`, bytes);
    const r = await duban(['import', path], env);
    expect(r.code, r.stderr).toBe(0);
    const { state } = await stateOf(env.DATA_FILE);
    expect(state.targets.find((t) => t.name.zh === '新建口袋公园')).toMatchObject({
      departmentId: 'zhongxing',
      target: 8,
      unit: { zh: '个' },
      kind: 'cumulative',
      period: { start: '2026-01-01', end: '2026-12-31' },
    });
  });
});

describe('duban template', { timeout: 60_000 }, () => {
  it('writes the template with marked example rows and a help sheet, and refuses to overwrite it', async () => {
    const path = join(dir, 'duban-template.xlsx');
    const r = await duban(['template', path], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`已写出导入模板 ${path}`);
    expect(r.stdout).toContain('示例行标有“示例”，导入时跳过');
    const wb = await loadWorkbook(await readFile(path));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '基本信息',
      '部门',
      '指标',
      '项目',
      '承诺',
      '节点',
      '进展记录',
      '说明',
    ]);
    expect(wb.getWorksheet('指标')!.getCell('A2').value).toBe('示例');

    await writeFile(path, 'mine');
    const again = await duban(['template', path], {});
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`duban: ${path} already exists; use --force to replace it, or give another path`);
    expect(await readFile(path, 'utf8')).toBe('mine');
    const english = await duban(['template', path, '--force', '--locale', 'en'], {});
    expect(english.code).toBe(0);
    expect(english.stdout).toContain(`Wrote the import template to ${path}`);
    expect((await loadWorkbook(await readFile(path))).worksheets.map((w) => w.name)).toContain('Help');
  });

  it('imports nothing from the template as it is: its examples are skipped, and the one problem says so', async () => {
    const path = join(dir, 'untouched.xlsx');
    expect((await duban(['template', path], {})).code).toBe(0);
    const env = await dataFile(false);
    const imported = await duban(['import', path], env);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('duban: 无法导入 untouched.xlsx：共 1 处问题，未写入任何内容。');
    expect(imported.stderr).toContain('文件里只有示例行');
    expect(imported.stderr).toMatch(/提示: 『指标』：第 2、3 行是示例行/);
    expect(await bytesOf(env.DATA_FILE)).toEqual({ [env.DATA_FILE]: '(missing)' });
  });

  it('writes the zone’s name given with --zone, which the import then gives the store', async () => {
    const path = join(dir, 'qingshan.xlsx');
    const r = await duban(['template', path, '--zone', '青山经济开发区'], {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('开发区名称：青山经济开发区');
    const wb = await loadWorkbook(await readFile(path));
    expect(wb.getWorksheet('基本信息')!.getCell('B2').value).toBe('青山经济开发区');
    const ws = wb.getWorksheet('部门')!;
    ws.getCell('C4').value = '投资促进局';
    ws.getCell('E4').value = '投促局';
    await writeFile(path, Buffer.from(await wb.xlsx.writeBuffer()));
    const env = await dataFile(false);
    const dry = await duban(['import', '--dry-run', path], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/zone\s+开发区 → 青山经济开发区/);
    expect((await duban(['import', path], env)).code).toBe(0);
    const { state } = await stateOf(env.DATA_FILE);
    expect(state.meta.zone).toEqual({ zh: '青山经济开发区' });
    expect(state.departments.map((d) => d.name.zh)).toEqual(['投资促进局']);
    const empty = await duban(['template', join(dir, 'x.xlsx'), '--zone', '  '], {});
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('--zone: give the zone’s name, e.g. --zone "某某经济开发区"');
  });

  it('writes duban-template.xlsx in the current folder by default', async () => {
    const cwd = await mkdtemp(join(dir, 'cwd-'));
    expect((await duban(['template'], {}, cwd)).code).toBe(0);
    expect(await readdir(cwd)).toEqual(['duban-template.xlsx']);
  });
});

describe('duban export', { timeout: 60_000 }, () => {
  let env: { DATA_FILE: string };
  let ledger: string;
  beforeAll(async () => {
    env = await dataFile(true);
    // Some history written through the store, so the ledger carries journal updates besides the seed's.
    const store = await openStore(env.DATA_FILE, { timeZone: TZ });
    await store.transact(async (tx) => {
      const update = {
        id: 'u-cli-test-1',
        itemId: 't-hurdb-renewal-starts',
        at: '2026-11-20T09:00:00.000Z',
        by: 'U0LIAISON1',
        value: 31,
        evidence: [],
        source: 'slack' as const,
      };
      tx.append({ type: 'update', at: update.at, by: update.by, update }, await tx.itemHistory(update.itemId));
    });
    await store.close();
    ledger = join(dir, 'ledger.xlsx');
  });

  it('writes the ledger, and importing it back into the same store changes nothing', async () => {
    const r = await duban(['export', '--out', ledger], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`to ${ledger}`);
    const before = await bytesOf(env.DATA_FILE);
    const dry = await duban(['import', '--dry-run', ledger], env);
    expect(dry.code, dry.stderr).toBe(0);
    for (const kind of ['departments', 'targets', 'projects', 'commitments'])
      expect(dry.stdout).toMatch(new RegExp(`${kind}\\s+0 new, 0 changed, [1-9]\\d* unchanged`));
    expect(dry.stdout).toMatch(/history\s+0 new, [1-9]\d* already present/);
    const again = await duban(['import', ledger], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to import');
    expect(await bytesOf(env.DATA_FILE)).toEqual(before);
  });

  it('takes the path as an argument too, like duban template (duban export ledger.xlsx)', async () => {
    const path = join(dir, 'ledger-by-argument.xlsx');
    const r = await duban(['export', path], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`to ${path}`);
    expect((await stat(path)).size).toBeGreaterThan(1000);
  });

  it('rebuilds the same definitions and history in an empty store', async () => {
    const fresh = await dataFile(false);
    const r = await duban(['import', ledger], fresh);
    expect(r.code, r.stderr).toBe(0);
    const a = await stateOf(env.DATA_FILE);
    const b = await stateOf(fresh.DATA_FILE);
    for (const key of ['departments', 'targets', 'projects', 'commitments'] as const)
      expect(b.state[key], key).toEqual(a.state[key]);
    expect(updateIds(b.history)).toEqual(updateIds(a.history));
    expect(updateIds(a.history)).toContain('u-cli-test-1');
    expect(b.state.progress['t-hurdb-renewal-starts']?.value).toBe(a.state.progress['t-hurdb-renewal-starts']?.value);
  });

  it('writes one department’s ledger, and explains an unknown department in one line', async () => {
    const out = join(dir, 'hurdb.xlsx');
    const r = await duban(['export', '--department', '住建局', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    const wb = await loadWorkbook(await readFile(out));
    const owners = new Set<string>();
    wb.getWorksheet('台账')!.eachRow((row, i) => {
      if (i > 2) owners.add(String(row.getCell(2).value));
    });
    expect(owners.has('住建局')).toBe(true);
    const bad = await duban(['export', '--department', '火星局', '--out', join(dir, 'x.xlsx')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--department "火星局": no such department');
  });

  it('writes the bulletin as Markdown to stdout and as an .xlsx', async () => {
    const md = await duban(['export', '--bulletin', '--markdown'], env);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# 南通经济技术开发区目标任务推进情况通报（截至 \d{4}年\d+月\d+日）/);
    expect(md.stdout).toContain('## 一、各部门排名');
    const en = await duban(['export', '--markdown', '--locale', 'en'], env);
    expect(en.stdout).toContain('progress bulletin (as of');
    const out = join(dir, 'bulletin.xlsx');
    expect((await duban(['export', '--bulletin', '--out', out], env)).code).toBe(0);
    const workbook = await loadWorkbook(await readFile(out));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['通报', '图表', '落后和预警', '逾期节点']);
    expect(workbook.getWorksheet('图表')!.getImages()).toHaveLength(2);
    const both = await duban(['export', '--bulletin', '--department', '住建局'], env);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--department is for the ledger');
  });

  it('writes the charts beside a Markdown bulletin, and the Markdown shows them by file name', async () => {
    const out = join(dir, 'weekly.md');
    const r = await duban(['export', '--markdown', '--out', out, '--now', '2026-11-28'], env);
    expect(r.code, r.stderr).toBe(0);
    const ranking = join(dir, 'weekly-ranking.png');
    const projects = join(dir, 'weekly-projects.png');
    expect(r.stdout).toBe(`Wrote the bulletin as of 2026-11-28 to ${out}, ${ranking}, ${projects}.\n`);
    const md = await readFile(out, 'utf8');
    expect(md).toMatch(/^!\[各部门进度排名（名次从高到低）。.+\]\(weekly-ranking\.png\)$/m);
    expect(md).toMatch(/^!\[各类别项目按进展阶段统计：.+\]\(weekly-projects\.png\)$/m);
    for (const png of [ranking, projects]) {
      const bytes = await readFile(png);
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(pngSize(bytes).width).toBe(1600);
    }
    // Markdown on stdout has nowhere to put pictures: none are referred to.
    expect((await duban(['export', '--markdown'], env)).stdout).not.toContain('![');
  });

  it('refuses to replace an existing file without --force', async () => {
    const out = await put('exists.xlsx', 'keep');
    const r = await duban(['export', '--out', out], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists; use --force');
    expect(await readFile(out, 'utf8')).toBe('keep');
    expect((await duban(['export', '--out', out, '--force'], env)).code).toBe(0);
  });

  it('runs while another process holds the data file (duban start), without writing', async () => {
    const store = await openStore(env.DATA_FILE, { timeZone: TZ });
    try {
      const before = await bytesOf(env.DATA_FILE);
      const out = join(dir, 'while-running.xlsx');
      const r = await duban(['export', '--out', out], env);
      expect(r.code, r.stderr).toBe(0);
      expect(await bytesOf(env.DATA_FILE)).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('says there is nothing to export from an empty store', async () => {
    const empty = await dataFile(false);
    const r = await duban(['export', '--out', join(dir, 'empty.xlsx')], empty);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the store is empty');
  });
});

describe('duban export of a zone of its own', { timeout: 60_000 }, () => {
  it('writes a ledger with 推进情况 and 责任人, 序时目标 at the targets’ precision as of --now, that prints on A4 landscape one page wide', async () => {
    const env = await dataFile(false);
    expect((await duban(['import', join(ROOT, 'test', 'fixtures', 'import', 'own-zone.json')], env)).code).toBe(0);
    const out = join(dir, 'own-ledger.xlsx');
    const r = await duban(['export', out, '--now', '2026-05-15'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('as of 2026-05-15');
    const ws = (await loadWorkbook(await readFile(out))).getWorksheet('台账')!;
    expect(ws.getCell('A1').value).toBe('青山经济开发区目标任务台账（截至 2026年5月15日）');
    const header = Array.from(ws.getRow(2).values as unknown[], (v) => String(v ?? ''));
    const row = (id: string) => {
      let found: Record<string, unknown> = {};
      ws.eachRow((r, n) => {
        if (n > 2 && r.getCell(header.indexOf('编号')).value === id)
          found = Object.fromEntries(header.slice(1).map((h, i) => [h, r.getCell(i + 1).value]));
      });
      return found;
    };
    // 135 of 365 days: 40 × 135/365 = 14.79… 家, 45.5 × 135/365 = 16.82… 万平方米.
    expect(row('t-firms')).toMatchObject({
      序时目标: 15,
      实际: 9,
      推进情况: '3月31日：一季度签约9家',
      责任人: '负责人：U0LEADA\n联络员：U0LIAISONA',
    });
    expect(row('t-green')).toMatchObject({ 序时目标: 16.8, 责任人: null });
    expect(row('p-park')).toMatchObject({ 推进情况: '4月28日：湿地公园开工' });
    expect(ws.pageSetup).toMatchObject({
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '2:2',
    });
    const bad = await duban(['export', join(dir, 'x.xlsx'), '--now', '15/5/2026'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--now: expected YYYY-MM-DD, e.g. --now 2026-06-30, got "15/5/2026"');
  });
});
