/**
 * Reading the template's sheets: Chinese or English names and headers, any column order, title rows,
 * unknown columns, missing or doubled columns, empty rows, sheets named otherwise.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSpreadsheet } from '../../src/spreadsheet/index.ts';
import { DEPARTMENTS, fileOf, linesOf, problemsOf, type Rows, xlsx } from './helpers.ts';

/** The documented id recipe: prefix, "-", the first hex digits of SHA-256 over the parts joined by U+001F. */
function expectedId(prefix: string, parts: string[], length = 10): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, length)}`;
}

const IVA = expectedId('t', ['edb', '规上工业增加值增速']);
const STARTS = expectedId('t', ['hurdb', '城市更新项目开工数']);
const XINGHU = expectedId('p', ['hurdb', '星湖花园老旧小区改造']);
const GROWTH = expectedId('c', ['edb', '推动量的合理增长']);
const YEAR = { start: '2026-01-01', end: '2026-12-31' };
const MONTHLY = { cadence: 'monthly', graceDays: 5 };

const EXPECTED = {
  departments: [
    {
      id: 'edb',
      name: { zh: '经济发展局', en: 'Economic Development Bureau' },
      shortName: { zh: '经发局' },
      aliases: ['经发', '经济局'],
      memberIds: [],
      leadIds: [],
    },
    {
      id: 'hurdb',
      name: { zh: '住房和城乡建设局' },
      shortName: { zh: '住建局' },
      aliases: ['住建'],
      memberIds: [],
      leadIds: [],
    },
  ],
  targets: [
    {
      id: IVA,
      departmentId: 'edb',
      coDepartmentIds: [],
      name: { zh: '规上工业增加值增速' },
      tags: [],
      period: YEAR,
      reporting: MONTHLY,
      kind: 'level',
      unit: { zh: '%' },
      target: 7.5,
      comparator: 'atLeast',
      tolerance: 0,
    },
    {
      id: STARTS,
      departmentId: 'hurdb',
      coDepartmentIds: ['edb'],
      name: { zh: '城市更新项目开工数' },
      tags: [],
      period: YEAR,
      reporting: MONTHLY,
      kind: 'cumulative',
      unit: { zh: '项' },
      baseline: 0,
      target: 40,
      checkpoints: [],
    },
  ],
  projects: [
    {
      id: XINGHU,
      departmentId: 'hurdb',
      coDepartmentIds: [],
      name: { zh: '星湖花园老旧小区改造' },
      category: { zh: '老旧小区改造' },
      tags: [],
      period: YEAR,
      reporting: MONTHLY,
      milestones: [
        { id: expectedId('m', ['开工'], 8), name: { zh: '开工' }, due: '2026-03-31' },
        { id: expectedId('m', ['竣工验收'], 8), name: { zh: '竣工验收' }, due: '2026-10-31' },
      ],
    },
  ],
  commitments: [
    {
      id: GROWTH,
      departmentId: 'edb',
      coDepartmentIds: [],
      name: { zh: '推动量的合理增长' },
      tags: [],
      period: YEAR,
      reporting: MONTHLY,
      pledge: { zh: '力争规上工业增加值7.5%以上' },
      targetIds: [IVA],
      projectIds: [],
      milestones: [],
    },
  ],
  updates: [],
  exemptions: [],
};

const CHINESE: Record<string, Rows> = {
  部门: DEPARTMENTS,
  指标: [
    ['责任单位', '指标名称', '目标值', '单位', '基数', '类型', '完成时限', '配合单位'],
    ['经发局', '规上工业增加值增速', '≥7.5%', null, null, '水平', '2026-12-31', null],
    ['住建局', '城市更新项目开工数', 40, '项', 0, '累计', '2026-12-31', '经发局'],
  ],
  项目: [
    ['牵头单位', '项目名称', '类别', '完成时限'],
    ['住建局', '星湖花园老旧小区改造', '老旧小区改造', '2026-12-31'],
  ],
  节点: [
    ['所属项目', '节点名称', '计划完成日期'],
    ['星湖花园老旧小区改造', '开工', '2026-03-31'],
    ['星湖花园老旧小区改造', '竣工验收', '2026-10-31'],
  ],
  承诺: [
    ['牵头单位', '事项名称', '承诺内容', '关联指标', '完成时限'],
    ['经发局', '推动量的合理增长', '力争规上工业增加值7.5%以上', '规上工业增加值增速', '2026-12-31'],
  ],
};

const ENGLISH: Record<string, Rows> = {
  Departments: [
    ['Department ID', 'Department name', 'English name', 'Short name', 'Aliases'],
    ['edb', '经济发展局', 'Economic Development Bureau', '经发局', '经发；经济局'],
    ['hurdb', '住房和城乡建设局', null, '住建局', '住建'],
  ],
  Targets: [
    ['Lead department', 'Target name', 'Target', 'Unit', 'Baseline', 'Kind', 'Due', 'Supporting departments'],
    ['EDB', '规上工业增加值增速', '>=7.5%', null, null, 'level', '2026-12-31', null],
    ['住建局', '城市更新项目开工数', 40, '项', 0, 'cumulative', '2026-12-31', 'edb'],
  ],
  Projects: [
    ['Lead department', 'Project name', 'Category', 'Due'],
    ['hurdb', '星湖花园老旧小区改造', '老旧小区改造', '2026-12-31'],
  ],
  Milestones: [
    ['Project', 'Milestone', 'Due'],
    ['星湖花园老旧小区改造', '开工', '2026-03-31'],
    ['星湖花园老旧小区改造', '竣工验收', '2026-10-31'],
  ],
  Commitments: [
    ['Lead department', 'Commitment', 'Pledge', 'Linked targets', 'Due'],
    ['经发局', '推动量的合理增长', '力争规上工业增加值7.5%以上', '规上工业增加值增速', '2026-12-31'],
  ],
};

describe('reading the template', () => {
  it('reads departments, targets, projects, milestones and commitments under Chinese names and headers', async () => {
    const r = await readSpreadsheet(await xlsx(CHINESE), 'targets-2026.xlsx');
    expect(fileOf(r)).toEqual(EXPECTED);
    expect(r.ok && r.rows).toBe(8);
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('reads the same data under English sheet names, headers and words (a department id in any case)', async () => {
    const r = await readSpreadsheet(await xlsx(ENGLISH), 'targets-2026.xlsx');
    expect(fileOf(r)).toEqual(EXPECTED);
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('accepts columns in any order and a title row above the header', async () => {
    const shuffled = {
      ...CHINESE,
      指标: [
        ['2026 年度目标任务（示例）'],
        ['完成时限', '类型', '配合单位', '目标值', '基数', '单位', '指标名称', '责任单位'],
        ['2026-12-31', '水平', null, '≥7.5%', null, null, '规上工业增加值增速', '经发局'],
        ['2026-12-31', '累计', '经发局', 40, 0, '项', '城市更新项目开工数', '住建局'],
      ],
    };
    expect(fileOf(await readSpreadsheet(await xlsx(shuffled), 'a.xlsx'))).toEqual(EXPECTED);
  });

  it('accepts header variants: full-width brackets, a required star, extra spaces, other common names', async () => {
    const variants = {
      ...CHINESE,
      指标: [
        ['牵头单位*', ' 指标名称 ', '年度目标', '计量单位', '基期值', '指标类型', '截止日期（必填）', '协办单位'],
        ['经发局', '规上工业增加值增速', '≥7.5%', null, null, '水平', '2026-12-31', null],
        ['住建局', '城市更新项目开工数', 40, '项', 0, '累计', '2026-12-31', '经发局'],
      ],
    };
    expect(fileOf(await readSpreadsheet(await xlsx(variants), 'a.xlsx'))).toEqual(EXPECTED);
  });

  it('ignores columns that are not in the template, with a warning naming each', async () => {
    const extra = {
      ...CHINESE,
      项目: [
        ['牵头单位', '项目名称', '类别', '完成时限', '备注', '总投资'],
        ['住建局', '星湖花园老旧小区改造', '老旧小区改造', '2026-12-31', '重点', 1.2],
      ],
    };
    const r = await readSpreadsheet(await xlsx(extra), 'a.xlsx');
    expect(fileOf(r)).toEqual(EXPECTED);
    expect(r.ok && linesOf(r.warnings)).toEqual([
      '『项目』第 1 行『备注』不是模板中的列，已忽略',
      '『项目』第 1 行『总投资』不是模板中的列，已忽略',
    ]);
  });

  it('skips empty rows, including rows of spaces, and counts only filled ones', async () => {
    const gappy = {
      ...CHINESE,
      节点: [
        ['所属项目', '节点名称', '计划完成日期'],
        [],
        ['星湖花园老旧小区改造', '开工', '2026-03-31'],
        ['  ', null, ' '],
        [],
        ['星湖花园老旧小区改造', '竣工验收', '2026-10-31'],
        [],
      ],
    };
    const r = await readSpreadsheet(await xlsx(gappy), 'a.xlsx');
    expect(fileOf(r)).toEqual(EXPECTED);
    expect(r.ok && r.rows).toBe(8);
  });

  it('reports the missing required columns once per sheet, and reads no row of that sheet', async () => {
    const missing = {
      部门: DEPARTMENTS,
      指标: [
        ['责任单位', '单位', '完成时限'],
        ['经发局', '%', '2026-12-31'],
      ],
      节点: [['节点名称'], ['开工']],
    };
    const problems = problemsOf(await readSpreadsheet(await xlsx(missing), 'a.xlsx'));
    expect(linesOf(problems)).toEqual([
      '『指标』第 1 行：缺少必填列『指标名称』（Target name）、『目标值』（Target），本表的行都未读取：请在表头行加上这些列后重新导入',
      '『节点』第 1 行：缺少必填列『所属项目』（Project）、『计划完成日期』（Due），本表的行都未读取：请在表头行加上这些列后重新导入',
    ]);
    expect(linesOf(problems, 'en')[0]).toBe(
      'Sheet 指标, row 1: the required columns 指标名称 (Target name), 目标值 (Target) are missing, so no row of this sheet was read: add them to the header row and import again',
    );
  });

  describe('a missing required column is reported once, as the cause, not with the row errors it would cause', () => {
    const TARGETS_HEAD = ['牵头单位', '指标名称', '目标值', '单位', '完成时限'];
    const targets = Array.from({ length: 12 }, (_, i) => ['经发局', `指标${i + 1}`, 10, '项', '2026-12-31']);
    const updates = Array.from({ length: 12 }, (_, i) => [`指标${i + 1}`, '2026-03-01', 3]);
    it.each([
      [
        '部门名称 in 部门, which a dozen targets and updates name',
        {
          部门: [
            ['部门编号', '简称'],
            ['edb', '经发局'],
          ],
          指标: [TARGETS_HEAD, ...targets],
          进展记录: [['事项名称', '日期', '数值'], ...updates],
        },
        '『部门』第 1 行：缺少必填列『部门名称』（Department name）',
      ],
      [
        '指标名称 in 指标, which a dozen updates name',
        {
          部门: DEPARTMENTS,
          指标: [['牵头单位', '目标值', '单位', '完成时限'], ...targets.map((t) => [t[0], t[2], t[3], t[4]])],
          进展记录: [['事项名称', '日期', '数值'], ...updates],
        },
        '『指标』第 1 行：缺少必填列『指标名称』（Target name）',
      ],
      [
        '项目名称 in 项目, which milestones and a commitment name',
        {
          部门: DEPARTMENTS,
          项目: [
            ['牵头单位', '完成时限'],
            ['住建局', '2026-12-31'],
          ],
          节点: [
            ['所属项目', '节点名称', '计划完成日期'],
            ['项目A', '开工', '2026-03-01'],
            ['项目A', '竣工', '2026-09-01'],
          ],
          承诺: [
            ['牵头单位', '事项名称', '承诺内容', '关联项目', '完成时限'],
            ['住建局', '承诺1', '内容', '项目A', '2026-12-31'],
          ],
        },
        '『项目』第 1 行：缺少必填列『项目名称』（Project name）',
      ],
      [
        'the item of 进展记录, by id or by name',
        { 部门: DEPARTMENTS, 进展记录: [['日期', '数值', '说明'], ...updates.map((u) => [u[1], u[2], '进展'])] },
        '『进展记录』第 1 行：缺少必填列『事项编号』或『事项名称』（Item ID / Item）',
      ],
    ])('%s', async (_case, sheets, line) => {
      const problems = linesOf(problemsOf(await readSpreadsheet(await xlsx(sheets), 'a.xlsx')));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(line);
    });

    it('and a target whose own row is wrong is not reported again as unknown in every update that names it', async () => {
      const sheets = {
        部门: DEPARTMENTS,
        指标: [TARGETS_HEAD, ['经发局', '指标1', '约10', '项', '2026-12-31']],
        进展记录: [
          ['事项名称', '日期', '数值'],
          ['指标1', '2026-03-01', 3],
          ['指标1', '2026-04-01', 5],
          ['指标1', '2026-05-01', 6],
        ],
      };
      expect(linesOf(problemsOf(await readSpreadsheet(await xlsx(sheets), 'a.xlsx')))).toEqual([
        '『指标』第 2 行『目标值』不是数字：『约10』',
      ]);
    });
  });

  it('refuses a column given twice under two names', async () => {
    const twice = {
      部门: DEPARTMENTS,
      指标: [
        ['责任单位', '牵头单位', '指标名称', '目标值', '单位', '完成时限'],
        ['经发局', '经发局', 'x', 1, '项', '2026-12-31'],
      ],
    };
    expect(linesOf(problemsOf(await readSpreadsheet(await xlsx(twice), 'a.xlsx')))).toEqual([
      '『指标』第 1 行『牵头单位』与『责任单位』是同一列（牵头单位），请删除其中一列',
    ]);
  });

  it('reads a sheet named otherwise by its headers, with a warning, and ignores one it cannot place', async () => {
    const odd = {
      部门: DEPARTMENTS,
      Sheet1: CHINESE.指标!,
      Sheet2: [
        ['序号', '随便'],
        [1, 'x'],
      ],
      说明: [['这一页是说明']],
    };
    const r = await readSpreadsheet(await xlsx(odd), 'a.xlsx');
    expect(fileOf(r).targets.map((t) => t.id)).toEqual([IVA, STARTS]);
    expect(r.ok && linesOf(r.warnings)).toEqual([
      '『Sheet1』：工作表名不是模板中的名称，按列名作为『指标』表读取',
      '『Sheet2』：工作表名不是模板中的名称（部门、指标、项目、承诺、节点、进展记录），列名也无法识别，已忽略',
    ]);
  });

  it('refuses a workbook in which no sheet can be placed', async () => {
    const wrong = {
      目标表: [
        ['序号', '内容'],
        [1, '规上工业增加值增速 7.5%'],
      ],
      Sheet2: [['a'], ['b']],
    };
    const r = await readSpreadsheet(await xlsx(wrong), 'a.xlsx');
    expect(linesOf(problemsOf(r))).toEqual([
      '『a.xlsx』：没有找到可导入的工作表：工作表应命名为 部门、指标、项目、承诺、节点、进展记录（见模板的『说明』），或带有模板中的列名',
    ]);
    expect(r.warnings).toHaveLength(2);
  });

  it('refuses a file with headers but no data', async () => {
    const empty = { 指标: [CHINESE.指标![0]!], 部门: [DEPARTMENTS[0]!] };
    expect(linesOf(problemsOf(await readSpreadsheet(await xlsx(empty), 'a.xlsx')))).toEqual([
      '『a.xlsx』：文件中没有数据行（只有表头或全是空行）',
    ]);
  });

  it('collects every problem across sheets instead of stopping at the first', async () => {
    const bad = {
      部门: DEPARTMENTS,
      指标: [
        ['责任单位', '指标名称', '目标值', '单位', '完成时限'],
        ['经发局', '规上工业增加值增速', '约7.5', '%', '2026-12-31'],
        ['财政局', '一般公共预算收入', 12, '亿元', '2026-12-31'],
        ['住建局', '', 40, '项', '年底'],
      ],
      节点: [
        ['所属项目', '节点名称', '计划完成日期'],
        ['不存在的项目', '开工', '2026-03-31'],
      ],
    };
    expect(linesOf(problemsOf(await readSpreadsheet(await xlsx(bad), 'a.xlsx')))).toEqual([
      '『指标』第 2 行『目标值』不是数字：『约7.5』',
      '『指标』第 3 行『责任单位』未知单位『财政局』：请先在『部门』表中登记，或填写已有部门的编号、全称、简称或别名',
      '『指标』第 4 行『指标名称』必填，不能为空',
      '『指标』第 4 行『完成时限』不是日期：『年底』（请写成 2026-03-31）',
      '『节点』第 2 行『所属项目』未知项目或承诺事项『不存在的项目』：本文件和系统中都没有这个编号或名称',
    ]);
  });
});
