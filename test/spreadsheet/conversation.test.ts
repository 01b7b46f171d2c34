/**
 * The import conversation without Slack: what /duban import and /duban export parse to, uploads
 * waiting for Import or Cancel (expiry at the boundary, one per admin, a bound on memory), and the
 * replies (the preview's counts and names, problems capped at 20).
 */
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../commands/context.ts';
import { parseDuban } from '../../commands/duban.ts';
import {
  MAX_PROBLEMS_SHOWN,
  PENDING_MINUTES,
  PendingImports,
  parseSpreadsheetCommand,
  previewReply,
  problemsReply,
  resolveExport,
} from '../../commands/spreadsheet.ts';
import { createReadModel } from '../../src/domain/read-model.ts';
import { emptyDatabase, type ImportFile } from '../../src/domain/schema.ts';
import type { Preview } from '../../src/spreadsheet/exchange.ts';
import type { SheetProblem } from '../../src/spreadsheet/problems.ts';
import { seedStore, TODAY, TZ } from './helpers.ts';

const model = createReadModel(seedStore(), TZ);
const ctx = (over: Partial<CommandContext> = {}): CommandContext => ({ model, today: TODAY, locale: 'zh-CN', ...over });
const text = (blocks: unknown) => JSON.stringify(blocks);

describe('parsing /duban import and /duban export', () => {
  it.each([
    ['import', { sub: 'import' }],
    ['导入', { sub: 'import' }],
    ['IMPORT whatever', { sub: 'import' }],
    ['export', { sub: 'export', target: 'ledger', department: '' }],
    ['导出 住建局', { sub: 'export', target: 'ledger', department: '住建局' }],
    ['export  Zhongxing   Subdistrict ', { sub: 'export', target: 'ledger', department: 'Zhongxing Subdistrict' }],
    ['export bulletin', { sub: 'export', target: 'bulletin' }],
    ['导出 通报', { sub: 'export', target: 'bulletin' }],
    ['export help', { sub: 'help' }],
    [`export ${'长'.repeat(300)}`, { sub: 'too_long' }],
    ['status 住建局', undefined],
    ['exports', undefined],
  ])('%j → %j', (input, expected) => {
    expect(parseSpreadsheetCommand(input)).toEqual(expected);
  });

  it('is routed by /duban', () => {
    expect(parseDuban('export 住建局')).toEqual({
      sub: 'spreadsheet',
      args: { sub: 'export', target: 'ledger', department: '住建局' },
    });
    expect(parseDuban('status')).toMatchObject({ sub: 'status' });
  });

  it('resolves a department by any of its names, and refuses an empty store', () => {
    expect(resolveExport({ sub: 'export', target: 'ledger', department: 'HURDB' }, ctx())).toMatchObject({
      kind: 'ledger',
      departmentId: 'hurdb',
      scope: '住建局台账',
    });
    expect(resolveExport({ sub: 'export', target: 'ledger', department: '' }, ctx())).toEqual({
      kind: 'ledger',
      scope: '全区台账',
    });
    const empty = resolveExport(
      { sub: 'export', target: 'bulletin' },
      ctx({ model: createReadModel(emptyDatabase(), TZ) }),
    );
    expect(empty.kind).toBe('reply');
  });
});

describe('uploads waiting for Import or Cancel', () => {
  const file = {
    departments: [],
    targets: [],
    projects: [],
    commitments: [],
    updates: [],
    exemptions: [],
  } as unknown as ImportFile;
  function pending(max = 3) {
    let now = 0;
    let n = 0;
    const p = new PendingImports({
      ttlMs: PENDING_MINUTES * 60_000,
      max,
      clock: () => now,
      newToken: () => `tok${++n}`,
    });
    return { p, advance: (ms: number) => (now += ms) };
  }

  it.each([
    ['just before the expiry', PENDING_MINUTES * 60_000 - 1, 'ok'],
    ['at the expiry', PENDING_MINUTES * 60_000, 'expired'],
    ['after it', PENDING_MINUTES * 60_000 + 1, 'expired'],
  ])('is taken %s: %s', (_when, wait, kind) => {
    const { p, advance } = pending();
    const { token } = p.add('U1', file, 'a.xlsx');
    advance(wait);
    expect(p.take(token, 'U1').kind).toBe(kind);
  });

  it('is taken once, by its uploader only', () => {
    const { p } = pending();
    const { token } = p.add('U1', file, 'a.xlsx');
    expect(p.take(token, 'U2').kind).toBe('not_yours');
    expect(p.take(token, 'U1')).toMatchObject({ kind: 'ok', pending: { label: 'a.xlsx', userId: 'U1' } });
    expect(p.take(token, 'U1').kind).toBe('expired');
  });

  it('keeps one upload per admin and at most `max` in all', () => {
    const { p } = pending(2);
    const first = p.add('U1', file, 'a.xlsx');
    const second = p.add('U1', file, 'b.xlsx');
    expect(p.take(first.token, 'U1').kind).toBe('expired');
    p.add('U2', file, 'c.xlsx');
    p.add('U3', file, 'd.xlsx');
    expect(p.size).toBe(2);
    expect(p.take(second.token, 'U1').kind).toBe('expired');
  });
});

describe('replies', () => {
  it('lists five names per change and counts the rest', () => {
    const ids = Array.from({ length: 8 }, (_, i) => `t-x${i}`);
    const targets = ids.map((id, i) => ({ ...model.db.targets[0]!, id, name: { zh: `指标${i}` } }));
    const preview: Preview = {
      file: {
        departments: [],
        targets,
        projects: [],
        commitments: [],
        updates: [],
        exemptions: [],
      } as unknown as ImportFile,
      label: 'x.xlsx',
      warnings: [],
      changes: {
        departments: { added: [], changed: [], unchanged: [] },
        targets: { added: ids, changed: [], unchanged: [] },
        projects: { added: [], changed: [], unchanged: [] },
        commitments: { added: [], changed: [], unchanged: [] },
        updates: { added: [], skipped: [] },
      },
      summary: {
        departments: { added: 0, changed: 0, unchanged: 0 },
        targets: { added: 8, changed: 0, unchanged: 0 },
        projects: { added: 0, changed: 0, unchanged: 0 },
        commitments: { added: 0, changed: 0, unchanged: 0 },
        updatesAdded: 0,
        updatesSkipped: 0,
        settingsChanged: false,
      },
      unchanged: false,
    };
    const reply = previewReply(preview, 'tok', ctx());
    expect(text(reply.blocks)).toContain('新增：指标0、指标1、指标2、指标3、指标4 等，另有 3 项');
    expect(text(reply.blocks)).not.toContain('部门');
    expect(reply.blocks.at(-1)).toMatchObject({
      type: 'actions',
      buttons: [{ value: 'tok', style: 'primary' }, { value: 'tok' }],
    });
  });

  it(`shows the first ${MAX_PROBLEMS_SHOWN} problems and counts the rest`, () => {
    const problems: SheetProblem[] = Array.from({ length: 23 }, (_, i) => ({
      sheet: '指标',
      row: i + 2,
      column: '目标值',
      message: { zh: '不是数字', en: 'not a number' },
    }));
    const zh = text(problemsReply('x.xlsx', problems, ctx()).blocks);
    expect(zh.match(/不是数字/g)).toHaveLength(MAX_PROBLEMS_SHOWN);
    expect(zh).toContain('『指标』第 21 行『目标值』不是数字');
    expect(zh).not.toContain('第 22 行');
    expect(zh).toContain('另有 3 处问题未列出');
    expect(text(problemsReply('x.xlsx', problems, ctx({ locale: 'en' })).blocks)).toContain(
      'x.xlsx has 23 problems; nothing was imported',
    );
  });
});
