/**
 * CSV as Excel saves it: UTF-8 with or without a BOM, GBK (Chinese Excel's "CSV"), UTF-16 ("Unicode
 * text", tab-separated), with commas, semicolons or tabs; one kind of sheet per file, recognised by
 * its headers; the format decided by content, not by the file name.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readSpreadsheet } from '../../src/spreadsheet/index.ts';
import { csvText, fileOf, KNOWN_DEPARTMENTS, linesOf, problemsOf, xlsx } from './helpers.ts';

const ROWS = [
  ['责任单位', '指标名称', '目标值', '单位', '基数', '类型', '完成时限', '配合单位'],
  ['经发局', '规上工业增加值增速', '≥7.5%', '', '', '水平', '2026/12/31', ''],
  [
    '住建局',
    '城市更新项目开工数（含“四大类”，共40项）',
    '40',
    '项',
    '0',
    '累计',
    '2026年12月31日',
    '经发局、经济发展局',
  ],
];
const TEXT = csvText(ROWS);
const known = { knownDepartments: KNOWN_DEPARTMENTS };

async function targetsOf(bytes: Buffer, name = 'targets-2026.csv') {
  return fileOf(await readSpreadsheet(bytes, name, known)).targets;
}

const reference = async () => targetsOf(Buffer.from(TEXT, 'utf8'));

describe('CSV encodings and delimiters', () => {
  it('reads UTF-8 without a BOM (a department named twice counted once)', async () => {
    const targets = await targetsOf(Buffer.from(TEXT, 'utf8'));
    expect(
      targets.map((t) => [t.departmentId, t.name.zh, t.target, t.unit.zh, t.kind, t.period.end, t.coDepartmentIds]),
    ).toEqual([
      ['edb', '规上工业增加值增速', 7.5, '%', 'level', '2026-12-31', []],
      ['hurdb', '城市更新项目开工数（含“四大类”，共40项）', 40, '项', 'cumulative', '2026-12-31', ['edb']],
    ]);
  });

  it('reads UTF-8 with a BOM, the BOM not part of the first header', async () => {
    expect(await targetsOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]))).toEqual(
      await reference(),
    );
  });

  it('reads GBK as saved by Chinese Excel (bytes that are not valid UTF-8)', async () => {
    const gbk = iconv.encode(TEXT, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    expect(await targetsOf(gbk)).toEqual(await reference());
  });

  it('reads GB18030 characters outside GBK', async () => {
    const text = csvText([ROWS[0]!, ['经发局', '𠀀号指标', '1', '项', '', '', '2026-12-31', '']]);
    expect((await targetsOf(iconv.encode(text, 'gb18030'))).map((t) => t.name.zh)).toEqual(['𠀀号指标']);
  });

  it('reads UTF-16 “Unicode text” with tabs', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csvText(ROWS, '\t'), 'utf16le')]);
    expect(await targetsOf(bytes, 'targets.txt')).toEqual(await reference());
  });

  it('reads semicolon-separated CSV', async () => {
    expect(await targetsOf(Buffer.from(csvText(ROWS, ';'), 'utf8'))).toEqual(await reference());
  });

  it('keeps leading zeros and text that looks like a number in text columns', async () => {
    const text = csvText([
      ['指标编号', ...ROWS[0]!],
      ['007', ...ROWS[1]!],
    ]);
    expect((await targetsOf(Buffer.from(text, 'utf8'))).map((t) => t.id)).toEqual(['007']);
  });
});

describe('what a CSV holds', () => {
  it.each([
    [
      'departments',
      [
        ['部门名称', '简称'],
        ['中兴街道', '中兴'],
      ],
      'departments',
    ],
    [
      'projects',
      [
        ['牵头单位', '项目名称', '完成时限'],
        ['住建局', '星湖花园老旧小区改造', '2026-12-31'],
      ],
      'projects',
    ],
    [
      'milestones',
      [
        ['所属项目', '节点名称', '计划完成日期'],
        ['星湖花园老旧小区改造', '开工', '2026-03-31'],
      ],
      'projects',
    ],
  ] as const)('recognises a CSV of %s by its headers', async (_label, rows, collection) => {
    const knownItems = {
      projects: [
        {
          id: 'ur-01',
          departmentId: 'hurdb',
          coDepartmentIds: [],
          name: { zh: '星湖花园老旧小区改造' },
          tags: [],
          period: { start: '2026-01-01', end: '2026-12-31' },
          reporting: { cadence: 'monthly' as const, graceDays: 5 },
          milestones: [],
        },
      ],
    };
    const file = fileOf(
      await readSpreadsheet(Buffer.from(csvText(rows as unknown as string[][])), 'data.csv', { ...known, knownItems }),
    );
    expect(file[collection]).toHaveLength(1);
  });

  it('refuses a CSV whose headers say nothing', async () => {
    const r = await readSpreadsheet(
      Buffer.from(
        csvText([
          ['序号', '内容'],
          ['1', '增速 7.5%'],
        ]),
      ),
      'data.csv',
      known,
    );
    expect(linesOf(problemsOf(r))).toEqual([
      '『data.csv』：看不出这份 CSV 是哪一种表：请使用模板中的列名（如『指标名称』『目标值』或『项目名称』）',
    ]);
  });

  it('reports problems by record number, the header being row 1', async () => {
    const text = csvText([
      ROWS[0]!,
      ROWS[1]!,
      ['经发局', '批发零售业销售额增速', '约7.5', '%', '', '水平', '2026-12-31', ''],
    ]);
    expect(linesOf(problemsOf(await readSpreadsheet(Buffer.from(text), 'targets.csv', known)))).toEqual([
      '『targets.csv』第 3 行『目标值』不是数字：『约7.5』',
    ]);
    expect(linesOf(problemsOf(await readSpreadsheet(Buffer.from(text), 'targets.csv', known)), 'en')).toEqual([
      'Sheet targets.csv, row 3, 目标值: not a number: “约7.5”',
    ]);
  });

  it('refuses a CSV with an unclosed quote', async () => {
    const r = await readSpreadsheet(
      Buffer.from('责任单位,指标名称,目标值,单位,完成时限\n经发局,"增速,7.5,%,2026-12-31\n'),
      'q.csv',
      known,
    );
    expect(linesOf(problemsOf(r))[0]).toMatch(
      /^『q\.csv』：无法读取 CSV，请检查引号是否成对（Parse Error: missing closing: '"'/,
    );
  });

  it('goes by content, not by the name: CSV named .xlsx, a workbook named .csv', async () => {
    expect(await targetsOf(Buffer.from(TEXT), 'targets.xlsx')).toEqual(await reference());
    const book = await xlsx({ 指标: ROWS });
    expect(await targetsOf(book, 'targets.csv')).toEqual(await reference());
  });
});
