/**
 * Reading in a worker thread (src/spreadsheet/isolated.ts): the same result as in process; hostile
 * files refused there; a file that exhausts the worker's heap or time refused, with this thread
 * answering all along and the next file read as usual. Also proves the worker's entry loads under
 * vitest (the CLI tests prove it under bin/duban.js).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readSpreadsheet } from '../../src/spreadsheet/index.ts';
import { readSpreadsheetIsolated, stopIdleReaders } from '../../src/spreadsheet/isolated.ts';
import { DEPARTMENTS, KNOWN_DEPARTMENTS, linesOf, problemsOf, xlsx } from './helpers.ts';
import { rowsBomb, wholeSheetMerge } from './hostile-files.ts';

afterAll(() => stopIdleReaders());

/** The longest this thread went without running a 10 ms timer while `work` ran. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last - 10);
    last = now;
  }, 10);
  try {
    return { value: await work(), stallMs };
  } finally {
    clearInterval(timer);
  }
}

const TARGETS = [
  ['责任单位', '指标名称', '目标值', '单位', '完成时限'],
  ['经发局', '规上工业增加值增速', 7.5, '%', '2026-12-31'],
];

describe('reading a spreadsheet in a worker thread', () => {
  it('gives exactly what reading in process gives, problems and warnings included', async () => {
    const good = await xlsx({ 部门: DEPARTMENTS, 指标: TARGETS, 杂项: [['备注'], ['无关']] });
    const bad = await xlsx({ 指标: [...TARGETS, ['火星局', '增速', '约7', '%', '2026-12-31']] });
    for (const [bytes, name] of [
      [good, 'good.xlsx'],
      [bad, 'bad.xlsx'],
    ] as const) {
      expect(await readSpreadsheetIsolated(bytes, name, { knownDepartments: KNOWN_DEPARTMENTS })).toEqual(
        await readSpreadsheet(bytes, name, { knownDepartments: KNOWN_DEPARTMENTS }),
      );
    }
  });

  it('refuses the whole-sheet merge and the rows bomb there, naming the limits', async () => {
    const merge = await readSpreadsheetIsolated(wholeSheetMerge(), 'merged.xlsx');
    expect(linesOf(problemsOf(merge))[0]).toContain(
      '有合并单元格 A1:XFD1048576，覆盖 17,179,869,184 个单元格，超过上限 10,000 个',
    );
    const bomb = await readSpreadsheetIsolated(rowsBomb(), 'bomb.xlsx');
    expect(linesOf(problemsOf(bomb))).toEqual([
      '『bomb.xlsx』：文件过大：解压后共 301 MB，超过上限 50 MB。请删除不需要的工作表、图片、空行和格式，或拆分成几个文件后重新上传',
    ]);
  });

  it('reads several files at once, two workers at a time', async () => {
    const bytes = await xlsx({ 部门: DEPARTMENTS, 指标: TARGETS });
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => readSpreadsheetIsolated(bytes, `f${i}.xlsx`)),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
  });

  it('refuses a file that exhausts the worker’s heap, while this thread keeps running, and reads the next file as usual', async () => {
    // With the merge limit lifted, exceljs expands A1:XFD1048576 cell by cell until the heap is full.
    const unbounded = { limits: { maxMergeCells: Number.POSITIVE_INFINITY, maxCells: Number.POSITIVE_INFINITY } };
    const { value, stallMs } = await longestStall(() =>
      readSpreadsheetIsolated(wholeSheetMerge(), 'merged.xlsx', unbounded, { maxHeapMb: 48 }),
    );
    expect(linesOf(problemsOf(value))).toEqual([
      '『merged.xlsx』：文件过大或过于复杂：读取它需要的内存超过上限 48 MB，已停止读取。请删除不需要的工作表、图片、空行和格式，或拆分成几个文件后重新上传',
    ]);
    expect(linesOf(problemsOf(value), 'en')[0]).toContain('reading it needs more than the 48 MB of memory allowed');
    expect(stallMs).toBeLessThan(500);
    const next = await readSpreadsheetIsolated(
      await xlsx({ 部门: DEPARTMENTS, 指标: TARGETS }),
      'next.xlsx',
      {},
      { maxHeapMb: 48 },
    );
    expect(next.ok).toBe(true);
  });

  it('refuses a file not read within the time limit', async () => {
    // A worker of another heap size starts afresh, which alone takes longer than 50 ms.
    const r = await readSpreadsheetIsolated(
      await xlsx({ 指标: TARGETS }),
      'slow.xlsx',
      {},
      { maxHeapMb: 96, timeoutMs: 50 },
    );
    expect(linesOf(problemsOf(r))).toEqual([
      '『slow.xlsx』：读取超时：0.1 秒内未能读完这个文件，已停止读取。请删除不需要的工作表、空行和格式，或拆分成几个文件后重新上传',
    ]);
  });
});
