/**
 * Ids and references: ids derived when absent (and stable), departments and items named by id,
 * name, short name or alias, in the file or already in the store; milestones, links and updates
 * pointing at items; duplicates and unknown names reported at their cell.
 */
import { describe, expect, it } from 'vitest';
import { mergeImport } from '../../src/domain/merge.ts';
import type { Project, Target } from '../../src/domain/schema.ts';
import { deriveId, readSpreadsheet } from '../../src/spreadsheet/index.ts';
import { DEPARTMENTS, fileOf, KNOWN_DEPARTMENTS, linesOf, problemsOf, type Rows, seedStore, xlsx } from './helpers.ts';

const TARGETS = [
  ['责任单位', '指标名称', '目标值', '单位', '完成时限'],
  ['经发局', '规上工业增加值增速', '≥7.5%', null, '2026-12-31'],
];

describe('ids', () => {
  it('derives department ids from the short name, or the name when there is none', async () => {
    const sheet = [
      ['部门名称', '简称'],
      ['经济发展局', '经发局'],
      ['中兴街道', null],
    ];
    const file = fileOf(await readSpreadsheet(await xlsx({ 部门: sheet }), 'a.xlsx'));
    expect(file.departments.map((d) => d.id)).toEqual([deriveId('d', ['经发局']), deriveId('d', ['中兴街道'])]);
    expect(file.departments[0]!.id).toMatch(/^d-[0-9a-f]{10}$/);
  });

  it('derives the same ids from the same file every time, whatever the row order', async () => {
    const rows = [
      ['经发局', '规上工业增加值增速', 7.5, '%', '2026-12-31'],
      ['住建局', '城市更新项目开工数', 40, '项', '2026-12-31'],
    ];
    const a = fileOf(await readSpreadsheet(await xlsx({ 部门: DEPARTMENTS, 指标: [TARGETS[0]!, ...rows] }), 'a.xlsx'));
    const b = fileOf(
      await readSpreadsheet(await xlsx({ 部门: DEPARTMENTS, 指标: [TARGETS[0]!, ...rows.reverse()] }), 'b.xlsx'),
    );
    expect(a.targets.map((t) => t.id).sort()).toEqual(b.targets.map((t) => t.id).sort());
    expect(new Set(a.targets.map((t) => t.id)).size).toBe(2);
  });

  it('keeps an id given in the sheet', async () => {
    const sheet = [
      ['指标编号', ...TARGETS[0]!],
      ['t-edb-iva', ...TARGETS[1]!],
    ];
    expect(fileOf(await readSpreadsheet(await xlsx({ 部门: DEPARTMENTS, 指标: sheet }), 'a.xlsx')).targets[0]!.id).toBe(
      't-edb-iva',
    );
  });

  it('refuses an id with characters ids cannot have', async () => {
    const sheet = [
      ['指标编号', ...TARGETS[0]!],
      ['经发局-1', ...TARGETS[1]!],
    ];
    expect(
      linesOf(problemsOf(await readSpreadsheet(await xlsx({ 部门: DEPARTMENTS, 指标: sheet }), 'a.xlsx'))),
    ).toEqual([
      '『指标』第 2 行『指标编号』编号只能包含字母、数字和 . _ -，以字母或数字开头，最长 64 位：『经发局-1』',
    ]);
  });

  it('reports two rows that come to the same id at the second row', async () => {
    const sheet = [...TARGETS, ['经济发展局', '规上工业增加值增速', 8, '%', '2026-12-31']];
    expect(
      linesOf(problemsOf(await readSpreadsheet(await xlsx({ 部门: DEPARTMENTS, 指标: sheet }), 'a.xlsx'))),
    ).toEqual([
      `『指标』第 3 行『指标编号』编号『${deriveId('t', ['edb', '规上工业增加值增速'])}』重复（指标、项目和承诺共用编号；同一牵头单位下同名的事项会得到相同编号）`,
    ]);
  });
});

describe('departments named in item sheets', () => {
  it.each([
    ['its id', 'edb'],
    ['its name', '经济发展局'],
    ['its short name', '经发局'],
    ['its English short name', 'EDB'],
    ['an alias', '经发'],
    ['its name with full-width spaces around it', '　经济发展局　'],
  ])('finds a department of the store by %s', async (_label, text) => {
    const sheet = [TARGETS[0]!, [text, '规上工业增加值增速', 7.5, '%', '2026-12-31']];
    const r = await readSpreadsheet(await xlsx({ 指标: sheet }), 'a.xlsx', { knownDepartments: KNOWN_DEPARTMENTS });
    expect(fileOf(r).targets[0]!.departmentId).toBe('edb');
    expect(fileOf(r).departments).toEqual([]);
  });

  it('prefers the file’s own 部门 row over the store’s for the same id', async () => {
    const sheet = [
      ['部门编号', '部门名称', '简称'],
      ['edb', '经济发展局', '经济局'],
    ];
    const r = await readSpreadsheet(
      await xlsx({ 部门: sheet, 指标: [TARGETS[0]!, ['经济局', '规上工业增加值增速', 7.5, '%', '2026-12-31']] }),
      'a.xlsx',
      { knownDepartments: KNOWN_DEPARTMENTS },
    );
    expect(fileOf(r).targets[0]!.departmentId).toBe('edb');
    expect(fileOf(r).departments[0]!.shortName).toEqual({ zh: '经济局', en: 'EDB' });
  });

  it('refuses a name two departments answer to, and an unknown one', async () => {
    const known = [
      ...KNOWN_DEPARTMENTS,
      { ...KNOWN_DEPARTMENTS[1]!, id: 'hurdb2', name: { zh: '建设局' }, shortName: {}, aliases: ['住建'] },
    ];
    const sheet = [
      ['责任单位', '配合单位', '指标名称', '目标值', '单位', '完成时限'],
      ['住建', '经发局、财政局', '城市更新项目开工数', 40, '项', '2026-12-31'],
    ];
    expect(
      linesOf(problemsOf(await readSpreadsheet(await xlsx({ 指标: sheet }), 'a.xlsx', { knownDepartments: known }))),
    ).toEqual([
      '『指标』第 2 行『责任单位』『住建』对应多个部门（hurdb、hurdb2），请填写部门编号',
      '『指标』第 2 行『配合单位』未知单位『财政局』：请先在『部门』表中登记，或填写已有部门的编号、全称、简称或别名',
    ]);
  });
});

describe('items already in the store', () => {
  const db = seedStore();
  const known = { knownDepartments: db.departments, knownItems: db };
  const iva = db.targets.find((t) => t.id === 't-edb-iva-growth')!;

  it('takes the id of the store’s item with the same department and name, and keeps what the sheet does not say', async () => {
    const sheet = [
      ['责任单位', '指标名称', '目标值'],
      ['经发局', '规上工业增加值增速', '≥8%'],
    ];
    const file = fileOf(await readSpreadsheet(await xlsx({ 指标: sheet }), 'a.xlsx', known));
    expect(file.targets).toEqual([{ ...iva, target: 8 }]);
    const draft = structuredClone(db);
    const summary = mergeImport(draft, file);
    expect(summary.targets).toEqual({ added: 0, changed: 1, unchanged: 0 });
    expect(draft.targets.find((t) => t.id === iva.id)).toEqual({ ...iva, target: 8 });
  });

  it('empties a field whose column is present but blank', async () => {
    const sheet = [
      ['责任单位', '指标名称', '目标值', '英文名称'],
      ['经发局', '规上工业增加值增速', '≥7.5%', null],
    ];
    const target = fileOf(await readSpreadsheet(await xlsx({ 指标: sheet }), 'a.xlsx', known)).targets[0] as Target;
    expect(target.name).toEqual({ zh: '规上工业增加值增速' });
    expect(target.category).toEqual(iva.category);
  });

  it('gives a store’s project the milestones of the 节点 sheet, reusing ids of milestones with the same name', async () => {
    const ur01 = db.projects.find((p) => p.id === 'ur-01')!;
    const sheet = [
      ['所属项目', '节点名称', '计划完成日期'],
      ['星湖花园老旧小区改造', '开工', '2026-03-15'],
      ['ur-01', '竣工验收', '2026-12-15'],
    ];
    const file = fileOf(await readSpreadsheet(await xlsx({ 节点: sheet }), 'a.xlsx', known));
    expect(file.projects).toEqual([
      {
        ...ur01,
        milestones: [
          { id: 'm1', name: { zh: '开工' }, due: '2026-03-15' },
          { id: 'm3', name: { zh: '竣工验收' }, due: '2026-12-15' },
        ],
      },
    ]);
  });

  it('appends updates to store items named by id or name, milestones by id or name', async () => {
    const sheet = [
      ['事项名称', '日期', '数值', '完成百分比', '状态', '节点编号', '说明', '报送人'],
      ['规上工业增加值增速', '2026-11-30', '7.4%', null, null, null, '1—10月', '督查室'],
      ['星湖花园老旧小区改造', 46356, null, '100%', '完成', '竣工验收', null, null],
    ];
    const file = fileOf(await readSpreadsheet(await xlsx({ 进展记录: sheet }), 'a.xlsx', known));
    expect(file.updates.map(({ id: _id, evidence: _evidence, ...u }) => u)).toEqual([
      {
        itemId: 't-edb-iva-growth',
        at: '2026-11-30T12:00:00+08:00',
        value: 7.4,
        note: '1—10月',
        by: '督查室',
        source: 'import',
      },
      {
        itemId: 'ur-01',
        at: '2026-11-30T12:00:00+08:00',
        percent: 100,
        state: 'done',
        milestoneId: 'm3',
        by: 'import',
        source: 'import',
      },
    ]);
    const again = fileOf(await readSpreadsheet(await xlsx({ 进展记录: sheet }), 'b.xlsx', known));
    expect(again.updates.map((u) => u.id)).toEqual(file.updates.map((u) => u.id));
    const draft = structuredClone(db);
    expect(mergeImport(draft, file).updatesAdded).toBe(2);
    expect(mergeImport(draft, again).updatesAdded).toBe(0);
  });

  it('refuses an update for a milestone the item does not have, or an item nobody has', async () => {
    const sheet = [
      ['事项编号', '时间', '状态', '节点编号'],
      ['ur-01', '2026-11-30 17:00', '完成', '封顶'],
      ['ur-99', '2026-11-30 17:00', '完成', null],
    ];
    expect(linesOf(problemsOf(await readSpreadsheet(await xlsx({ 进展记录: sheet }), 'a.xlsx', known)))).toEqual([
      '『进展记录』第 2 行『节点编号』事项『ur-01』没有节点『封顶』',
      '『进展记录』第 3 行『事项编号』未知事项『ur-99』：本文件和系统中都没有这个编号或名称',
    ]);
  });

  it('refuses an id the store already uses for another kind of item', async () => {
    const sheet = [
      ['项目编号', '牵头单位', '项目名称', '完成时限'],
      ['t-edb-iva-growth', '经发局', '某项目', '2026-12-31'],
    ];
    expect(linesOf(problemsOf(await readSpreadsheet(await xlsx({ 项目: sheet }), 'a.xlsx', known)))).toEqual([
      '『项目』第 2 行『项目编号』编号『t-edb-iva-growth』在系统中已用于指标',
    ]);
  });
});

describe('links between sheets', () => {
  it('links a commitment to targets and projects by name or id, in the order given', async () => {
    const book = {
      部门: DEPARTMENTS,
      指标: [TARGETS[0]!, TARGETS[1]!],
      项目: [
        ['项目编号', '牵头单位', '项目名称', '完成时限'],
        ['ur-a', '住建局', '星湖花园老旧小区改造', '2026-12-31'],
        ['ur-b', '住建局', '通盛苑老旧小区改造', '2026-12-31'],
      ],
      承诺: [
        ['牵头单位', '事项名称', '承诺内容', '关联指标', '关联项目', '完成时限'],
        [
          '住建局',
          '城市更新',
          '实施四大类共40项更新项目',
          '规上工业增加值增速',
          'ur-b\n星湖花园老旧小区改造',
          '2026-12-31',
        ],
      ],
    };
    const c = fileOf(await readSpreadsheet(await xlsx(book), 'a.xlsx')).commitments[0]!;
    expect(c.targetIds).toEqual([deriveId('t', ['edb', '规上工业增加值增速'])]);
    expect(c.projectIds).toEqual(['ur-b', 'ur-a']);
  });

  it('refuses a link to a target that is a project, and a name two projects share', async () => {
    const book = {
      部门: DEPARTMENTS,
      项目: [
        ['项目编号', '牵头单位', '项目名称', '完成时限'],
        ['ur-a', '住建局', '老旧小区改造', '2026-12-31'],
        ['ur-b', '经发局', '老旧小区改造', '2026-12-31'],
      ],
      承诺: [
        ['牵头单位', '事项名称', '承诺内容', '关联指标', '关联项目', '完成时限'],
        ['住建局', '城市更新', '实施更新项目', 'ur-a', '老旧小区改造', '2026-12-31'],
      ],
    };
    expect(linesOf(problemsOf(await readSpreadsheet(await xlsx(book), 'a.xlsx')))).toEqual([
      '『承诺』第 2 行『关联指标』未知指标『ur-a』：本文件和系统中都没有这个编号或名称',
      '『承诺』第 2 行『关联项目』『老旧小区改造』对应多个项目（ur-a、ur-b），请填写编号',
    ]);
  });

  it('gives milestones to the project they name, in row order, and refuses two of the same name', async () => {
    const book: Record<string, Rows> = {
      部门: DEPARTMENTS,
      项目: [
        ['牵头单位', '项目名称', '完成时限'],
        ['住建局', '星湖花园老旧小区改造', '2026-12-31'],
      ],
      节点: [
        ['所属项目', '节点编号', '节点名称', '计划完成日期'],
        ['星湖花园老旧小区改造', 'm2', '竣工验收', '2026-10-31'],
        ['星湖花园老旧小区改造', 'm1', '开工', '2026-02-28'],
      ],
    };
    const p = fileOf(await readSpreadsheet(await xlsx(book), 'a.xlsx')).projects[0] as Project;
    expect(p.milestones.map((m) => m.id)).toEqual(['m2', 'm1']);
    book.节点!.push(
      ['星湖花园老旧小区改造', null, '开工', '2026-03-31'],
      ['星湖花园老旧小区改造', null, '开工', '2026-04-30'],
    );
    expect(linesOf(problemsOf(await readSpreadsheet(await xlsx(book), 'a.xlsx')))).toEqual([
      `『节点』第 5 行『节点编号』节点编号『${deriveId('m', ['开工'], 8)}』重复（同一事项下同名的节点会得到相同编号）`,
    ]);
  });
});
