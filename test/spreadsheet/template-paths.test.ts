/**
 * The template's column table is the one definition of the columns: each column that is read says
 * which field of its sheet's record it fills, and problems found in that field are reported there.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { Commitment, Department, Milestone, Project, Target, Update } from '../../src/domain/schema.ts';
import { messages } from '../../src/i18n/index.ts';
import {
  columnForPath,
  type HelpText,
  SHEET_KINDS,
  SHEETS,
  type SheetKind,
  ZONE_SHEET,
} from '../../src/spreadsheet/template.ts';

const RECORDS: Record<SheetKind, z.ZodType[]> = {
  departments: [Department],
  targets: Target.options,
  projects: [Project],
  commitments: [Commitment],
  milestones: [Milestone],
  updates: [Update],
};

/** The schema at a dotted path, looking through defaults, optionals and arrays. */
function fieldAt(schema: z.ZodType, path: string): z.ZodType | undefined {
  let node: z.ZodType | undefined = schema;
  for (const name of path.split('.')) {
    node = unwrap(node);
    const shape = (node as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
    node = shape?.[name];
  }
  return node;
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let n = node;
  for (let i = 0; i < 5 && n; i++) {
    const def = (n as unknown as { _zod: { def: { innerType?: z.ZodType; in?: z.ZodType } } })._zod.def;
    const inner = def.innerType ?? def.in;
    if (!inner) break;
    n = inner;
  }
  return n;
}

describe('the columns of the template', () => {
  it.each(SHEET_KINDS)('of %s fill fields their record has', (kind) => {
    for (const c of SHEETS[kind].columns) {
      for (const path of [c.fills, ...(c.alsoFor ?? [])]) {
        if (path === undefined) continue;
        expect(
          RECORDS[kind].some((schema) => fieldAt(schema, path) !== undefined),
          `${kind}.${c.key} → ${path}`,
        ).toBe(true);
      }
    }
  });

  it.each(SHEET_KINDS)(
    'of %s each fill a field of their own, but for the example mark and what is only for reading',
    (kind) => {
      const unfilled = SHEETS[kind].columns
        .filter((c) => c.fills === undefined && c.alsoFor === undefined)
        .map((c) => c.key);
      expect(
        unfilled.filter((k) => k !== 'example' && k !== 'dept' && !(kind === 'milestones' && k === 'item')),
      ).toEqual([]);
    },
  );

  it('report a problem at the column filling the field, or the one standing in for it', () => {
    const all = () => true;
    expect(columnForPath('targets', ['departmentId'], all)).toBe('owner');
    expect(columnForPath('targets', ['checkpoints', 1, 'share'], all)).toBe('checkpoints');
    expect(columnForPath('targets', ['period'], all)).toBe('end');
    expect(columnForPath('updates', ['itemId'], all)).toBe('item');
    expect(columnForPath('updates', ['itemId'], (k) => k === 'itemName')).toBe('itemName');
    expect(columnForPath('updates', ['at'], (k) => k === 'date')).toBe('date');
    expect(columnForPath('milestones', ['name', 'en'], all)).toBe('nameEn');
    expect(columnForPath('updates', ['name', 'zh'], all)).toBeUndefined();
  });
});

/** The catalogue path a help text reads (`columns.targets.baseline`), found by reading it off a recording proxy. */
function pathOf(help: HelpText): string {
  const path: string[] = [];
  const record = (): unknown =>
    new Proxy(() => '', {
      get: (_, key) => {
        path.push(String(key));
        return record();
      },
    });
  help(record() as Parameters<HelpText>[0]);
  return path.join('.');
}

/** Every string path of a catalogue section: `columns.shared.owner`, … */
function leavesOf(section: object, prefix = ''): string[] {
  return Object.entries(section).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : typeof v === 'object' && v ? leavesOf(v, `${prefix}${k}.`) : [],
  );
}

describe('the help texts of sheets, columns and 基本信息 lines', () => {
  const used = new Set([
    ...SHEET_KINDS.flatMap((k) => [pathOf(SHEETS[k].help), ...SHEETS[k].columns.map((c) => pathOf(c.help))]),
    ...ZONE_SHEET.fields.map((f) => pathOf(f.help)),
  ]);
  const h = messages('zh-CN').templateHelp;
  const written = leavesOf({ sheets: h.sheets, zone: h.zone, columns: h.columns });

  it('are each written once in the catalogues and named by some sheet, column or line', () => {
    expect(written.filter((p) => !used.has(p))).toEqual([]);
    expect([...used].filter((p) => !written.includes(p))).toEqual([]);
  });

  it.each(SHEET_KINDS)('of %s read the sheet’s own entries or the shared ones', (kind) => {
    for (const c of SHEETS[kind].columns)
      expect(pathOf(c.help), c.key).toMatch(new RegExp(`^columns\\.(${kind}|shared)\\.${c.key}$`));
  });
});
