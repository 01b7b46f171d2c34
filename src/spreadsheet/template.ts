/**
 * The spreadsheet template: which sheets there are, which columns each has, what each column is
 * called in Chinese and English (and which other headers are accepted), and what it holds. The
 * importer, the template writer, the ledger's definition sheets and the 说明/Help sheet all read
 * this one table, so a column added here is read, written and documented at once.
 */
import type { Bilingual } from './problems.ts';

export type SheetKind = 'departments' | 'targets' | 'projects' | 'milestones' | 'commitments' | 'updates';

/** In dependency order: departments before the items that name them, items before milestones and updates. */
export const SHEET_KINDS: readonly SheetKind[] = [
  'departments',
  'targets',
  'projects',
  'commitments',
  'milestones',
  'updates',
];

export type ValueFormat =
  | 'id'
  | 'text'
  | 'longText'
  | 'number'
  | 'integer'
  | 'date'
  | 'dateTime'
  | 'textList'
  | 'idList'
  | 'department'
  | 'departmentList'
  | 'item'
  | 'itemList'
  | 'bool'
  | 'kind'
  | 'comparator'
  | 'cadence'
  | 'state'
  | 'source'
  | 'checkpoints'
  | 'link'
  | 'example';

export type ColumnDef = {
  /** Internal name of the column, unique within its sheet. */
  key: string;
  zh: string;
  en: string;
  /** Other headers that name this column (compared after normalisation: case, spaces, "_", "-", "*"). */
  aliases: readonly string[];
  required: boolean;
  format: ValueFormat;
  /** Column width in the written workbook, in characters. */
  width: number;
  help: Bilingual;
  /** Written by the ledger for people, never read back (no "unknown column" warning either). */
  displayOnly?: boolean;
  /** The path in the sheet's record (an item, a department, a milestone, an update) that this column fills. */
  fills?: string;
  /** Other paths whose problems are reported at this column when the sheet has no column filling them. */
  alsoFor?: readonly string[];
};

export type SheetDef = {
  kind: SheetKind;
  zh: string;
  en: string;
  /** Other sheet names that mean this kind. */
  aliases: readonly string[];
  help: Bilingual;
  columns: readonly ColumnDef[];
  /** Groups of columns of which a sheet must have at least one (an update names its item by id or by name). */
  requiredOneOf?: ReadonlyArray<readonly string[]>;
};

type ColumnOptions = {
  aliases?: readonly string[];
  required?: boolean;
  width?: number;
  displayOnly?: boolean;
  fills?: string;
  alsoFor?: readonly string[];
};

function col(
  key: string,
  zh: string,
  en: string,
  format: ValueFormat,
  help: Bilingual,
  options: ColumnOptions = {},
): ColumnDef {
  const def: ColumnDef = {
    key,
    zh,
    en,
    aliases: options.aliases ?? [],
    required: options.required ?? false,
    format,
    width: options.width ?? Math.max(10, Math.min(40, zh.length * 2 + 4, en.length + 4)),
    help,
  };
  if (options.displayOnly) def.displayOnly = true;
  if (options.fills !== undefined) def.fills = options.fills;
  if (options.alsoFor !== undefined) def.alsoFor = options.alsoFor;
  return def;
}

// Columns shared by targets, projects and commitments.
const owner = col(
  'owner',
  '牵头单位',
  'Lead department',
  'department',
  {
    zh: '牵头（责任）单位：填写部门编号、全称、简称或别名，须在『部门』表中或系统中已有',
    en: 'The lead (responsible) department: its id, name, short name or alias, from the 部门 sheet or already in duban',
  },
  {
    fills: 'departmentId',
    aliases: [
      '责任单位',
      '主责单位',
      '牵头部门',
      '责任部门',
      '主办单位',
      'owner',
      'lead',
      'lead department',
      'responsible department',
      'department',
    ],
    required: true,
    width: 14,
  },
);
const co = col(
  'co',
  '配合单位',
  'Supporting departments',
  'departmentList',
  {
    zh: '配合单位，可填多个，用换行、“；”或“、”分隔',
    en: 'Supporting departments, several separated by line breaks, “;” or “、”',
  },
  {
    fills: 'coDepartmentIds',
    aliases: [
      '协办单位',
      '配合部门',
      '协同单位',
      '协助单位',
      'co-owners',
      'supporting',
      'supporting department',
      'co departments',
    ],
    width: 16,
  },
);
const nameEn = (what: Bilingual) =>
  col(
    'nameEn',
    '英文名称',
    'English name',
    'text',
    { zh: `${what.zh}的英文名称（可选，≤200 字）`, en: `English ${what.en} name (optional, ≤200 characters)` },
    {
      fills: 'name.en',
      aliases: ['name (en)', 'name_en', 'english', 'name in english', '英文名'],
      width: 30,
    },
  );
const category = col(
  'category',
  '类别',
  'Category',
  'text',
  { zh: '类别（可选），如“经济运行”“老旧小区改造”', en: 'Category (optional), e.g. “Economic performance”' },
  {
    fills: 'category.zh',
    alsoFor: ['category'],
    aliases: ['分类', '领域', '板块', 'category'],
    width: 14,
  },
);
const categoryEn = col(
  'categoryEn',
  '英文类别',
  'English category',
  'text',
  { zh: '类别的英文名称（可选；须同时填写类别）', en: 'Category in English (optional; needs the Chinese category)' },
  {
    fills: 'category.en',
    aliases: ['category (en)', 'category_en', '类别英文'],
    width: 18,
  },
);
const tags = col(
  'tags',
  '标签',
  'Tags',
  'textList',
  {
    zh: '标签（可选），多个用换行、“；”或“、”分隔',
    en: 'Tags (optional), several separated by line breaks, “;” or “、”',
  },
  {
    fills: 'tags',
    aliases: ['关键词', 'tags', 'tag', 'keywords'],
    width: 14,
  },
);
const start = col(
  'start',
  '开始日期',
  'Start',
  'date',
  {
    zh: '开始日期（可选）：留空为完成时限所在年份的 1 月 1 日',
    en: 'Start date (optional): empty means 1 January of the due date’s year',
  },
  { fills: 'period.start', aliases: ['起始日期', '开始时间', '起始时间', 'start', 'start date', 'from'], width: 12 },
);
const end = col(
  'end',
  '完成时限',
  'Due',
  'date',
  {
    zh: '完成时限（结束日期）：留空为开始日期所在年份的 12 月 31 日；两者都空时使用导入时指定的年度',
    en: 'Due (end) date: empty means 31 December of the start date’s year; with neither, the year given to the import',
  },
  {
    fills: 'period.end',
    alsoFor: ['period'],
    aliases: [
      '截止日期',
      '完成日期',
      '结束日期',
      '完成时间',
      '时限',
      '截止时间',
      'due',
      'due date',
      'end',
      'end date',
      'deadline',
      'to',
    ],
    width: 12,
  },
);
const cadence = col(
  'cadence',
  '报送周期',
  'Reporting',
  'cadence',
  {
    zh: '进展报送周期：每周 / 每月 / 每季度 / 不报送；留空为每月',
    en: 'How often progress is reported: weekly / monthly / quarterly / none; empty means monthly',
  },
  {
    fills: 'reporting.cadence',
    alsoFor: ['reporting'],
    aliases: ['报送频次', '报告周期', '报送频率', 'cadence', 'reporting', 'reporting cadence', 'frequency'],
    width: 10,
  },
);
const grace = col(
  'grace',
  '宽限天数',
  'Grace days',
  'integer',
  {
    zh: '周期结束后多少天内报送不算迟报（0–60）；留空为 5',
    en: 'Days after a reporting period before a report counts as missing (0–60); empty means 5',
  },
  { fills: 'reporting.graceDays', aliases: ['宽限期', '宽限', 'grace', 'grace days'], width: 10 },
);
const sample = col(
  'sample',
  '示例数据',
  'Sample',
  'bool',
  {
    zh: '是否示例数据：是 / 否；留空表示不是',
    en: 'Whether the record is sample data: yes / no; empty means no',
  },
  { fills: 'sample', aliases: ['示例', 'sample data', 'is sample'], width: 9 },
);
const source = col(
  'source',
  '出处',
  'Source',
  'longText',
  {
    zh: '出处：该记录依据的原文（可选，≤500 字）',
    en: 'The phrase of the source document this record models (optional, ≤500 characters)',
  },
  { fills: 'source', aliases: ['原文', '依据', '来源原文', 'source', 'source quote', 'quote'], width: 30 },
);

const periodAndReporting = [start, end, cadence, grace];

/**
 * The first column of every sheet of the template: its example rows say 示例 there and are skipped on
 * import, so an example left in the file is never imported by accident. Not a field of any record;
 * the ledger does not write it.
 */
export const EXAMPLE_COLUMN = col(
  'example',
  '示例行',
  'Example row',
  'example',
  {
    zh: '模板自带的示例行在此填“示例”，导入时跳过，不会被导入；自己填写的行请留空（照着示例改写时，记得清空这一格）',
    en: 'The template’s example rows say “example” here and are skipped on import; leave it empty in your own rows (clear it when you turn an example into a row of your own)',
  },
  { aliases: ['样例行', '示例行（导入时跳过）', 'example', 'example row', 'examples'], width: 8 },
);

/** Words in the 示例行 column that mark a row as an example (compared case- and width-insensitively), and words that do not. */
export const EXAMPLE_WORDS = {
  yes: ['示例', '样例', '例', '是', 'example', 'e.g.', 'yes', 'y', 'x', '√', '✓', 'true', '1'],
  no: ['否', 'no', 'n', 'false', '0'],
} as const;

export const SHEETS: Record<SheetKind, SheetDef> = {
  departments: {
    kind: 'departments',
    zh: '部门',
    en: 'Departments',
    aliases: ['单位', '部门清单', '单位清单', '责任单位', 'department', 'units'],
    help: {
      zh: '每行一个部门（单位）。其他表通过编号、全称、简称或别名引用部门。',
      en: 'One department (unit) per row. Other sheets name a department by its id, name, short name or alias.',
    },
    columns: [
      EXAMPLE_COLUMN,
      col(
        'id',
        '部门编号',
        'Department ID',
        'id',
        {
          zh: '部门编号（可选）：字母、数字、. _ -，最长 64 位；留空时由简称（无简称时由全称）生成，如 d-1a2b3c4d5e',
          en: 'Department id (optional): letters, digits, . _ -, at most 64; empty means derived from the short name (or the name), e.g. d-1a2b3c4d5e',
        },
        { fills: 'id', aliases: ['编号', '单位编号', '部门id', 'id', 'dept id', 'department id'], width: 14 },
      ),
      col(
        'name',
        '部门名称',
        'Department name',
        'text',
        { zh: '部门全称（≤200 字）', en: 'Full name in Chinese (≤200 characters)' },
        {
          fills: 'name.zh',
          aliases: [
            '单位名称',
            '部门全称',
            '单位全称',
            '名称',
            '部门',
            '单位',
            'name',
            'department name',
            'department',
          ],
          required: true,
          width: 24,
        },
      ),
      nameEn({ zh: '部门', en: 'department' }),
      col(
        'short',
        '简称',
        'Short name',
        'text',
        { zh: '简称（可选，≤40 字），如“经发局”', en: 'Short name in Chinese (optional, ≤40), e.g. 经发局' },
        {
          fills: 'shortName.zh',
          aliases: ['部门简称', '单位简称', 'short name', 'shortname', 'abbreviation'],
          width: 12,
        },
      ),
      col(
        'shortEn',
        '英文简称',
        'English short name',
        'text',
        { zh: '英文简称（可选，≤40 字），如 EDB', en: 'Short name in English (optional, ≤40), e.g. EDB' },
        {
          fills: 'shortName.en',
          aliases: ['short name (en)', 'short_en', 'shortname en'],
          width: 14,
        },
      ),
      col(
        'aliases',
        '别名',
        'Aliases',
        'textList',
        {
          zh: '其他叫法（可选），多个用换行、“；”或“、”分隔，用于识别部门',
          en: 'Other names people use (optional), separated by line breaks, “;” or “、”; used to recognise the department',
        },
        { fills: 'aliases', aliases: ['其他名称', '又名', 'alias', 'aliases'], width: 24 },
      ),
      col(
        'channel',
        'Slack 频道',
        'Slack channel',
        'text',
        {
          zh: '部门的 Slack 频道 ID（可选），如 C012ABCDEF',
          en: 'The department’s Slack channel id (optional), e.g. C012ABCDEF',
        },
        {
          fills: 'channelId',
          aliases: ['频道', '频道id', 'channel', 'channel id', 'slack channel id'],
          width: 14,
        },
      ),
      col(
        'members',
        '联络员',
        'Members',
        'idList',
        {
          zh: '联络员的 Slack 用户 ID（可选），多个用空格、逗号或换行分隔',
          en: 'Liaisons’ Slack user ids (optional), separated by spaces, commas or line breaks',
        },
        {
          fills: 'memberIds',
          aliases: ['成员', '联络人', 'member ids', 'members', 'memberids', 'liaisons'],
          width: 16,
        },
      ),
      col(
        'leads',
        '负责人',
        'Leads',
        'idList',
        {
          zh: '负责人的 Slack 用户 ID（可选），多个用空格、逗号或换行分隔',
          en: 'Leaders’ Slack user ids (optional), separated by spaces, commas or line breaks',
        },
        {
          fills: 'leadIds',
          aliases: ['分管领导', '领导', 'lead ids', 'leads', 'leadids'],
          width: 16,
        },
      ),
      col(
        'ranked',
        '参与排名',
        'Ranked',
        'bool',
        {
          zh: '是否参与部门排名：是（默认）/ 否。督查室等督办其他部门的单位填“否”：其事项照常列出和统计，但不排名',
          en: 'Whether the department is ranked: yes (default) / no. “No” for the office that supervises the others (督查室): its items are listed and counted, not ranked',
        },
        { fills: 'ranked', aliases: ['排名', '参加排名', 'ranked', 'in ranking'], width: 9 },
      ),
      sample,
      source,
    ],
  },
  targets: {
    kind: 'targets',
    zh: '指标',
    en: 'Targets',
    aliases: ['目标', '目标任务', '指标任务', '年度目标', '主要指标', 'target', 'indicators', 'kpis'],
    help: {
      zh: '每行一个数量指标。累计型（如开工项目数）从基数按序时进度推进到目标值；水平型（如增速）全年与目标值直接比较。',
      en: 'One numeric target per row. A cumulative target (e.g. projects started) ramps from the baseline to the target over the period; a level target (e.g. a growth rate) is compared with the target all year.',
    },
    columns: [
      EXAMPLE_COLUMN,
      col(
        'id',
        '指标编号',
        'Target ID',
        'id',
        {
          zh: '指标编号（可选）：留空时沿用系统中同一牵头单位同名指标的编号，否则由牵头单位和名称生成，如 t-1a2b3c4d5e',
          en: 'Target id (optional): empty means the id of the lead department’s target of the same name already in duban, else derived from department and name, e.g. t-1a2b3c4d5e',
        },
        { fills: 'id', aliases: ['编号', '目标编号', 'id', 'target id'], width: 16 },
      ),
      owner,
      co,
      col(
        'name',
        '指标名称',
        'Target name',
        'text',
        { zh: '指标名称（≤200 字）', en: 'Name in Chinese (≤200 characters)' },
        {
          fills: 'name.zh',
          aliases: ['目标名称', '指标', '目标任务', '指标内容', '名称', 'name', 'target name', 'indicator'],
          required: true,
          width: 28,
        },
      ),
      nameEn({ zh: '指标', en: 'target' }),
      col(
        'kind',
        '类型',
        'Kind',
        'kind',
        {
          zh: '累计 或 水平。留空时：填了“比较”或目标值带 ≥/≤ 为水平，否则为累计',
          en: 'cumulative or level. Empty: level when a comparator is given (or the target reads ≥/≤), else cumulative',
        },
        { fills: 'kind', aliases: ['指标类型', '目标类型', 'type', 'kind'], width: 8 },
      ),
      col(
        'target',
        '目标值',
        'Target',
        'number',
        {
          zh: '目标值（数字）。可带 ≥/≤（如 ≥7.5%）；百分数可写 7.5、7.5% 或百分比格式的 0.075',
          en: 'Target (a number). May start with ≥/≤ (e.g. ≥7.5%); a percentage may be 7.5, 7.5% or 0.075 formatted as percent',
        },
        {
          fills: 'target',
          aliases: ['目标', '年度目标', '目标数', '目标值（年度）', 'target', 'target value', 'goal'],
          required: true,
          width: 10,
        },
      ),
      col(
        'unit',
        '单位',
        'Unit',
        'text',
        {
          zh: '计量单位，如 %、项、亿元；目标值写成百分数时可留空（即 %）',
          en: 'Unit, e.g. %, 项, 亿元; may be empty when the target is written as a percentage',
        },
        { fills: 'unit.zh', alsoFor: ['unit'], aliases: ['计量单位', '单位名称', 'unit'], width: 8 },
      ),
      col(
        'unitEn',
        '英文单位',
        'English unit',
        'text',
        { zh: '单位的英文（可选），如 projects', en: 'Unit in English (optional), e.g. projects' },
        {
          fills: 'unit.en',
          aliases: ['unit (en)', 'unit_en'],
          width: 12,
        },
      ),
      col(
        'baseline',
        '基数',
        'Baseline',
        'number',
        {
          zh: '累计型的起点（可选，默认 0）；目标值小于基数表示要减少',
          en: 'Starting value of a cumulative target (optional, default 0); a target below it means a reduction',
        },
        {
          fills: 'baseline',
          aliases: ['基期值', '基准值', '起点', '上年基数', '基数值', 'baseline', 'base'],
          width: 8,
        },
      ),
      col(
        'comparator',
        '比较',
        'Comparator',
        'comparator',
        { zh: '水平型：≥（不低于，默认）或 ≤（不高于）', en: 'Level targets: ≥ (at least, default) or ≤ (at most)' },
        {
          fills: 'comparator',
          aliases: ['比较方式', '达标方向', '方向', 'comparator', 'direction'],
          width: 8,
        },
      ),
      col(
        'tolerance',
        '容差',
        'Tolerance',
        'number',
        {
          zh: '水平型：差距在此范围内为预警（黄），超出为落后（红）；默认 0',
          en: 'Level targets: a shortfall within this is amber, beyond it red; default 0',
        },
        {
          fills: 'tolerance',
          aliases: ['预警幅度', '允许偏差', '预警区间', 'tolerance'],
          width: 8,
        },
      ),
      col(
        'checkpoints',
        '阶段目标',
        'Checkpoints',
        'checkpoints',
        {
          zh: '累计型的序时节点（可选）：每行“日期 完成比例”，如“2026-03-31 15%”；留空为按天线性推进',
          en: 'Cumulative targets: expected share by date (optional), one “date share” per line, e.g. “2026-03-31 15%”; empty means linear',
        },
        { fills: 'checkpoints', aliases: ['序时节点', '分阶段目标', '序时进度', 'checkpoints'], width: 22 },
      ),
      category,
      categoryEn,
      tags,
      ...periodAndReporting,
      sample,
      source,
    ],
  },
  projects: {
    kind: 'projects',
    zh: '项目',
    en: 'Projects',
    aliases: ['重点项目', '项目清单', 'project'],
    help: {
      zh: '每行一个项目。项目的节点写在『节点』表中。',
      en: 'One project per row. Its milestones go in the 节点 (Milestones) sheet.',
    },
    columns: [
      EXAMPLE_COLUMN,
      col(
        'id',
        '项目编号',
        'Project ID',
        'id',
        {
          zh: '项目编号（可选）：留空时沿用系统中同一牵头单位同名项目的编号，否则生成，如 p-1a2b3c4d5e',
          en: 'Project id (optional): empty means the id of the same-named project of the lead department in duban, else derived, e.g. p-1a2b3c4d5e',
        },
        { fills: 'id', aliases: ['编号', 'id', 'project id'], width: 16 },
      ),
      owner,
      co,
      col(
        'name',
        '项目名称',
        'Project name',
        'text',
        { zh: '项目名称（≤200 字）', en: 'Name in Chinese (≤200 characters)' },
        {
          fills: 'name.zh',
          aliases: ['项目', '名称', 'name', 'project name', 'project'],
          required: true,
          width: 28,
        },
      ),
      nameEn({ zh: '项目', en: 'project' }),
      category,
      categoryEn,
      tags,
      ...periodAndReporting,
      sample,
      source,
    ],
  },
  commitments: {
    kind: 'commitments',
    zh: '承诺',
    en: 'Commitments',
    aliases: ['承诺事项', '表态', '工作任务', 'commitment', 'pledges'],
    help: {
      zh: '每行一项承诺事项（部门在会上的表态），可关联指标和项目；承诺事项自己的节点写在『节点』表中。',
      en: 'One commitment (what a department pledged) per row, optionally linked to targets and projects; a commitment’s own milestones go in the 节点 sheet.',
    },
    columns: [
      EXAMPLE_COLUMN,
      col(
        'id',
        '承诺编号',
        'Commitment ID',
        'id',
        {
          zh: '承诺编号（可选）：留空时沿用系统中同名事项的编号，否则生成，如 c-1a2b3c4d5e',
          en: 'Commitment id (optional): empty means the id of the same-named commitment in duban, else derived, e.g. c-1a2b3c4d5e',
        },
        { fills: 'id', aliases: ['编号', '事项编号', 'id', 'commitment id'], width: 16 },
      ),
      owner,
      co,
      col(
        'name',
        '事项名称',
        'Commitment',
        'text',
        { zh: '事项名称（≤200 字）', en: 'Short name in Chinese (≤200 characters)' },
        {
          fills: 'name.zh',
          aliases: ['承诺事项', '承诺名称', '事项', '名称', 'name', 'commitment', 'commitment name'],
          required: true,
          width: 28,
        },
      ),
      nameEn({ zh: '事项', en: 'commitment' }),
      col(
        'pledge',
        '承诺内容',
        'Pledge',
        'text',
        { zh: '承诺的原话（≤200 字）', en: 'What was pledged, as said (≤200 characters)' },
        {
          fills: 'pledge.zh',
          aliases: ['表态内容', '承诺原话', '具体内容', '工作内容', 'pledge'],
          required: true,
          width: 36,
        },
      ),
      col(
        'pledgeEn',
        '英文承诺内容',
        'English pledge',
        'text',
        { zh: '承诺内容的英文（可选）', en: 'The pledge in English (optional)' },
        {
          fills: 'pledge.en',
          aliases: ['pledge (en)', 'pledge_en'],
          width: 30,
        },
      ),
      col(
        'targets',
        '关联指标',
        'Linked targets',
        'itemList',
        {
          zh: '跟踪该承诺的指标：编号或名称，多个用换行或“；”分隔',
          en: 'Targets that track it: ids or names, separated by line breaks or “;”',
        },
        {
          fills: 'targetIds',
          aliases: ['相关指标', 'linked targets', 'target ids', 'targets'],
          width: 22,
        },
      ),
      col(
        'projects',
        '关联项目',
        'Linked projects',
        'itemList',
        {
          zh: '跟踪该承诺的项目：编号或名称，多个用换行或“；”分隔',
          en: 'Projects that track it: ids or names, separated by line breaks or “;”',
        },
        {
          fills: 'projectIds',
          aliases: ['相关项目', 'linked projects', 'project ids', 'projects'],
          width: 22,
        },
      ),
      category,
      categoryEn,
      tags,
      ...periodAndReporting,
      sample,
      source,
    ],
  },
  milestones: {
    kind: 'milestones',
    zh: '节点',
    en: 'Milestones',
    aliases: ['里程碑', '项目节点', '时间节点', '节点计划', 'milestone'],
    help: {
      zh: '每行一个节点，按时间顺序。通过编号或名称指向『项目』或『承诺』表中的事项（或系统中已有的事项）。出现在本表中的事项，其节点以本表为准；未出现的事项保留原有节点。',
      en: 'One milestone per row, in date order, naming a project or commitment by id or name (in this file or already in duban). An item with rows here gets exactly these milestones; items without rows keep theirs.',
    },
    columns: [
      EXAMPLE_COLUMN,
      col(
        'item',
        '所属项目',
        'Project',
        'item',
        { zh: '所属项目或承诺事项：编号或名称', en: 'The project or commitment: its id or name' },
        {
          aliases: [
            '项目名称',
            '项目编号',
            '所属事项',
            '事项',
            '事项编号',
            '项目',
            'project',
            'item',
            'project id',
            'item id',
          ],
          required: true,
          width: 28,
        },
      ),
      col(
        'id',
        '节点编号',
        'Milestone ID',
        'id',
        {
          zh: '节点编号（可选，同一事项内唯一）：留空时沿用该事项同名节点的编号，否则由名称生成，如 m-1a2b3c4d',
          en: 'Milestone id (optional, unique within its item): empty means the id of the item’s same-named milestone, else derived from the name, e.g. m-1a2b3c4d',
        },
        { fills: 'id', aliases: ['编号', 'id', 'milestone id'], width: 12 },
      ),
      col(
        'name',
        '节点名称',
        'Milestone',
        'text',
        { zh: '节点名称（≤200 字），如“开工”', en: 'Name in Chinese (≤200 characters), e.g. 开工' },
        {
          fills: 'name.zh',
          aliases: ['节点', '里程碑', '节点内容', '名称', 'name', 'milestone', 'milestone name'],
          required: true,
          width: 24,
        },
      ),
      nameEn({ zh: '节点', en: 'milestone' }),
      col(
        'due',
        '计划完成日期',
        'Due',
        'date',
        { zh: '计划完成日期', en: 'Date it is due' },
        {
          fills: 'due',
          aliases: [
            '完成时限',
            '计划完成时间',
            '截止日期',
            '到期日',
            '计划日期',
            'due',
            'due date',
            'deadline',
            'date',
          ],
          required: true,
          width: 14,
        },
      ),
    ],
  },
  updates: {
    kind: 'updates',
    zh: '进展记录',
    en: 'Updates',
    aliases: ['进展', '进度', '进度记录', '报送记录', '更新记录', 'update', 'progress', 'history'],
    help: {
      zh: '每行一次进展报送（只追加：编号已存在的记录会被跳过，不会被覆盖）。',
      en: 'One progress report per row (append-only: a row whose id is already in duban is skipped, never replaced).',
    },
    requiredOneOf: [
      ['item', 'itemName'],
      ['at', 'date'],
    ],
    columns: [
      EXAMPLE_COLUMN,
      col(
        'date',
        '日期',
        'Date',
        'date',
        {
          zh: '报送日期（无“时间”列时使用，记为当天 12:00）',
          en: 'Date of the report (used when there is no Time column; taken as 12:00 that day)',
        },
        {
          alsoFor: ['at'],
          aliases: ['报送日期', '更新日期', 'report date'],
          width: 12,
        },
      ),
      col(
        'dept',
        '部门',
        'Department',
        'text',
        {
          zh: '事项的牵头单位（仅供阅读，导入时忽略）',
          en: 'The item’s lead department (for reading; ignored on import)',
        },
        {
          aliases: ['department'],
          width: 12,
          displayOnly: true,
        },
      ),
      col(
        'itemName',
        '事项名称',
        'Item',
        'item',
        {
          zh: '事项名称（无“事项编号”时用于查找事项）',
          en: 'The item’s name (used to find the item when there is no Item ID)',
        },
        {
          alsoFor: ['itemId'],
          aliases: ['名称', '指标名称', '项目名称', 'item name', 'name'],
          width: 28,
        },
      ),
      col(
        'value',
        '数值',
        'Value',
        'number',
        {
          zh: '指标的最新值（累计型为累计数）',
          en: 'A target’s latest value (for cumulative targets, the running total)',
        },
        {
          fills: 'value',
          aliases: ['实际值', '完成值', '累计完成', '最新值', '完成数', 'value', 'actual'],
          width: 10,
        },
      ),
      col(
        'percent',
        '完成百分比',
        'Percent done',
        'number',
        {
          zh: '项目或承诺的完成百分比（0–100，可写 60 或 60%）',
          en: 'A project’s or commitment’s percent done (0–100; 60 or 60%)',
        },
        {
          fills: 'percent',
          aliases: ['完成进度', '完成率', '形象进度', '进度', 'percent', 'percent done', 'progress'],
          width: 10,
        },
      ),
      col(
        'state',
        '状态',
        'State',
        'state',
        { zh: '计划 / 推进中 / 受阻 / 延期 / 完成', en: 'planned / in progress / blocked / delayed / done' },
        {
          fills: 'state',
          aliases: ['项目状态', 'state', 'status'],
          width: 10,
        },
      ),
      col(
        'milestone',
        '节点编号',
        'Milestone',
        'text',
        {
          zh: '与“状态 = 完成”一起：该节点已完成（填节点编号或名称）',
          en: 'With state “done”: this milestone was reached (its id or name)',
        },
        {
          fills: 'milestoneId',
          aliases: ['节点', '完成节点', '节点名称', 'milestone', 'milestone id'],
          width: 12,
        },
      ),
      col(
        'note',
        '说明',
        'Note',
        'longText',
        { zh: '进展说明（≤4000 字）', en: 'What happened (≤4000 characters)' },
        {
          fills: 'note',
          aliases: ['备注', '进展情况', '情况说明', '进展说明', 'note', 'notes', 'comment'],
          width: 40,
        },
      ),
      col(
        'by',
        '报送人',
        'By',
        'text',
        {
          zh: '报送人（Slack 用户 ID 或姓名，≤64 字）；留空为 import',
          en: 'Who reported (a Slack user id or a name, ≤64); empty means “import”',
        },
        {
          fills: 'by',
          aliases: ['填报人', '报告人', 'by', 'reporter', 'reported by'],
          width: 12,
        },
      ),
      col(
        'evidence',
        '佐证材料',
        'Evidence',
        'link',
        { zh: '佐证材料链接（可选）', en: 'Link to evidence (optional)' },
        {
          fills: 'evidence',
          aliases: ['佐证', '附件', '链接', 'evidence', 'link', 'attachment'],
          width: 24,
        },
      ),
      col(
        'source',
        '来源',
        'Source',
        'source',
        {
          zh: '记录来源：import（默认）/ slack / command / form / console / seed',
          en: 'Where the record came from: import (default) / slack / command / form / console / seed',
        },
        {
          fills: 'source',
          aliases: ['source', 'origin'],
          width: 9,
        },
      ),
      sample,
      col(
        'item',
        '事项编号',
        'Item ID',
        'item',
        { zh: '指标、项目或承诺的编号（或名称）', en: 'The target’s, project’s or commitment’s id (or name)' },
        {
          fills: 'itemId',
          aliases: ['所属事项', '事项', '指标编号', '项目编号', 'item', 'item id'],
          width: 16,
        },
      ),
      col(
        'id',
        '记录编号',
        'Update ID',
        'id',
        {
          zh: '记录编号（可选）：留空时由内容生成（同一行重复导入不会重复记录）',
          en: 'Update id (optional): empty means derived from the row’s content (importing the same row twice adds it once)',
        },
        { fills: 'id', aliases: ['编号', 'id', 'update id'], width: 14 },
      ),
      col(
        'at',
        '时间',
        'Time',
        'dateTime',
        {
          zh: '报送时间：ISO 8601（如 2026-03-31T17:00:00+08:00）、“2026-03-31 17:00”或日期',
          en: 'When: ISO 8601 (e.g. 2026-03-31T17:00:00+08:00), “2026-03-31 17:00”, or a date',
        },
        { fills: 'at', aliases: ['报送时间', '更新时间', 'time', 'at', 'reported at', 'timestamp'], width: 26 },
      ),
    ],
  },
};

/** One line of the 基本信息 (Zone) sheet: a label in its first cell, the value in the next. */
export type ZoneField = { key: 'zone' | 'zoneEn'; zh: string; en: string; aliases: readonly string[]; help: Bilingual };

/**
 * The 基本信息 (Zone) sheet: the zone's own name, which the ledger, the bulletin and the console show.
 * Not a table of records: each line is a label and its value.
 */
export const ZONE_SHEET = {
  zh: '基本信息',
  en: 'Zone',
  aliases: ['开发区', '园区', '园区信息', '开发区信息', 'zone', 'about'],
  headers: {
    field: { zh: '项目', en: 'Field' },
    value: { zh: '内容', en: 'Value' },
    help: { zh: '说明', en: 'Notes' },
  },
  fields: [
    {
      key: 'zone',
      zh: '开发区名称',
      en: 'Zone name',
      aliases: ['开发区', '园区名称', '名称', '区域名称', 'zone', 'name', 'zone name'],
      help: {
        zh: '开发区（园区）全称，如“某某经济技术开发区”（≤200 字）；台账、通报和控制台的标题用这个名称。留空则不改动系统中的名称',
        en: 'The zone’s full name in Chinese (≤200 characters); the ledger, the bulletin and the console are titled with it. Empty leaves the name in duban as it is',
      },
    },
    {
      key: 'zoneEn',
      zh: '英文名称',
      en: 'English name',
      aliases: ['英文名', 'zone (en)', 'english', 'name (en)', 'zone name (en)'],
      help: {
        zh: '开发区的英文名称（可选，须同时填写开发区名称）',
        en: 'The zone’s name in English (optional; needs the Chinese name)',
      },
    },
  ] as const satisfies readonly ZoneField[],
} as const;

/** Sheets the importer knows are reports or help, and skips without a warning. */
export const REPORT_SHEET_NAMES: readonly string[] = [
  '说明',
  '填表说明',
  '帮助',
  'help',
  'readme',
  '台账',
  'ledger',
  '汇总',
  'summary',
  '通报',
  'bulletin',
  '签收',
  'sign-offs',
];

/** Compares headers and sheet names: width, case, spaces, "_", "-", "*" and "(必填)"-style markers ignored. */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[([]\s*(必填|选填|可选|required|optional)\s*[)\]]/g, '')
    .replace(/[\s_\-*·:]/g, '');
}

const sheetIndex = new Map<string, SheetKind>();
const reportSheets = new Set(REPORT_SHEET_NAMES.map(normalizeHeader));
for (const def of Object.values(SHEETS)) {
  for (const name of [def.zh, def.en, ...def.aliases]) sheetIndex.set(normalizeHeader(name), def.kind);
}

const zoneSheetNames = new Set([ZONE_SHEET.zh, ZONE_SHEET.en, ...ZONE_SHEET.aliases].map(normalizeHeader));

/** The kind a sheet's name says it holds, 'report' for a known report/help sheet, 'zone' for 基本信息, else undefined. */
export function kindOfSheetName(name: string): SheetKind | 'report' | 'zone' | undefined {
  const n = normalizeHeader(name);
  if (reportSheets.has(n)) return 'report';
  if (zoneSheetNames.has(n)) return 'zone';
  return sheetIndex.get(n);
}

/** The field of the 基本信息 sheet a label names, if any. */
export function zoneFieldForLabel(label: string): ZoneField | undefined {
  const n = normalizeHeader(label);
  return (
    ZONE_SHEET.fields.find((f) => [f.zh, f.en].some((x) => normalizeHeader(x) === n)) ??
    ZONE_SHEET.fields.find((f) => f.aliases.some((x) => normalizeHeader(x) === n))
  );
}

const columnIndexes = new Map<SheetKind, Map<string, ColumnDef>>();
for (const def of Object.values(SHEETS)) {
  const index = new Map<string, ColumnDef>();
  // Canonical names first so that an alias of one column never shadows another column's own name.
  for (const c of def.columns) {
    index.set(normalizeHeader(c.zh), c);
    index.set(normalizeHeader(c.en), c);
  }
  for (const c of def.columns)
    for (const a of c.aliases) if (!index.has(normalizeHeader(a))) index.set(normalizeHeader(a), c);
  columnIndexes.set(def.kind, index);
}

/** The column a header names in a sheet of `kind`, if any. */
export function columnForHeader(kind: SheetKind, header: string): ColumnDef | undefined {
  return columnIndexes.get(kind)?.get(normalizeHeader(header));
}

export function columnDef(kind: SheetKind, key: string): ColumnDef {
  const c = SHEETS[kind].columns.find((x) => x.key === key);
  if (!c) throw new Error(`no column ${key} in ${kind}`);
  return c;
}

/**
 * The column of a sheet of `kind` at which a problem at `path` inside one of its records is reported:
 * the column filling the whole path, else the one filling its first name; a column the sheet has
 * (`has`) before one it lacks, and a column filling the path before one that only answers for it.
 */
export function columnForPath(
  kind: SheetKind,
  path: readonly PropertyKey[],
  has: (key: string) => boolean,
): string | undefined {
  const names = path.filter((p): p is string => typeof p === 'string');
  for (const p of [names.join('.'), names[0]]) {
    if (!p) continue;
    const filling = SHEETS[kind].columns.filter((c) => c.fills === p);
    const answering = SHEETS[kind].columns.filter((c) => c.alsoFor?.includes(p));
    const column = filling.find((c) => has(c.key)) ?? answering.find((c) => has(c.key)) ?? filling[0] ?? answering[0];
    if (column) return column.key;
  }
  return undefined;
}

/**
 * Headers that say what a sheet holds when its name does not (a CSV, "Sheet1"): checked in this
 * order, the first kind with any of these headers wins. Generic headers (名称, 编号, name) are not
 * listed, since every kind has them.
 */
export const SIGNATURES: ReadonlyArray<{ kind: SheetKind; anyOf: readonly string[] }> = [
  {
    kind: 'updates',
    anyOf: ['记录编号', '报送时间', '数值', '完成百分比', 'update id', 'value', 'percent done', 'reported at'],
  },
  { kind: 'milestones', anyOf: ['节点名称', '计划完成日期', 'milestone name', 'milestone id', 'milestone'] },
  { kind: 'commitments', anyOf: ['承诺内容', '承诺编号', '关联指标', '关联项目', 'pledge', 'commitment id'] },
  {
    kind: 'targets',
    anyOf: ['目标值', '指标名称', '指标编号', '基数', 'target value', 'target name', 'target id', 'target', 'baseline'],
  },
  { kind: 'projects', anyOf: ['项目名称', '项目编号', 'project name', 'project id'] },
  {
    kind: 'departments',
    anyOf: ['部门名称', '部门编号', '单位名称', 'department name', 'department id', 'short name'],
  },
];

/** The sheet (and column) name to write for a locale. */
export function sheetTitle(kind: SheetKind, locale: 'zh-CN' | 'en'): string {
  return locale === 'en' ? SHEETS[kind].en : SHEETS[kind].zh;
}
