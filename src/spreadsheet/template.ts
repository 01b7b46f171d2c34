/**
 * The spreadsheet template: which sheets there are, which columns each has, what each column is
 * called in Chinese and English (and which other headers are accepted), and what it holds. The
 * importer, the template writer, the ledger's definition sheets and the 说明/Help sheet all read
 * this one table, so a column added here is read, written and documented at once. The headers and
 * their aliases are the file format and live here; what a sheet or column holds is prose for people,
 * and lives in the catalogues (`templateHelp`), named here by key.
 */
import { type Catalogue, type Locale, messages } from '../i18n/index.ts';
import { type Bilingual, fromCatalogues } from './problems.ts';

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

/** Picks a help text out of a catalogue's `templateHelp`: a key the catalogues lack does not type-check. */
export type HelpText = (h: Catalogue['templateHelp']) => string;

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
  help: HelpText;
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
  help: HelpText;
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
  help: HelpText,
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
const owner = col('owner', '牵头单位', 'Lead department', 'department', (h) => h.columns.shared.owner, {
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
});
const co = col('co', '配合单位', 'Supporting departments', 'departmentList', (h) => h.columns.shared.co, {
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
});
const nameEn = (help: HelpText) =>
  col('nameEn', '英文名称', 'English name', 'text', help, {
    fills: 'name.en',
    aliases: ['name (en)', 'name_en', 'english', 'name in english', '英文名'],
    width: 30,
  });
const category = col('category', '类别', 'Category', 'text', (h) => h.columns.shared.category, {
  fills: 'category.zh',
  alsoFor: ['category'],
  aliases: ['分类', '领域', '板块', 'category'],
  width: 14,
});
const categoryEn = col('categoryEn', '英文类别', 'English category', 'text', (h) => h.columns.shared.categoryEn, {
  fills: 'category.en',
  aliases: ['category (en)', 'category_en', '类别英文'],
  width: 18,
});
const tags = col('tags', '标签', 'Tags', 'textList', (h) => h.columns.shared.tags, {
  fills: 'tags',
  aliases: ['关键词', 'tags', 'tag', 'keywords'],
  width: 14,
});
const start = col('start', '开始日期', 'Start', 'date', (h) => h.columns.shared.start, {
  fills: 'period.start',
  aliases: ['起始日期', '开始时间', '起始时间', 'start', 'start date', 'from'],
  width: 12,
});
const end = col('end', '完成时限', 'Due', 'date', (h) => h.columns.shared.end, {
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
});
const cadence = col('cadence', '报送周期', 'Reporting', 'cadence', (h) => h.columns.shared.cadence, {
  fills: 'reporting.cadence',
  alsoFor: ['reporting'],
  aliases: ['报送频次', '报告周期', '报送频率', 'cadence', 'reporting', 'reporting cadence', 'frequency'],
  width: 10,
});
const grace = col('grace', '宽限天数', 'Grace days', 'integer', (h) => h.columns.shared.grace, {
  fills: 'reporting.graceDays',
  aliases: ['宽限期', '宽限', 'grace', 'grace days'],
  width: 10,
});
const sample = col('sample', '示例数据', 'Sample', 'bool', (h) => h.columns.shared.sample, {
  fills: 'sample',
  aliases: ['示例', 'sample data', 'is sample'],
  width: 9,
});
const source = col('source', '出处', 'Source', 'longText', (h) => h.columns.shared.source, {
  fills: 'source',
  aliases: ['原文', '依据', '来源原文', 'source', 'source quote', 'quote'],
  width: 30,
});

const periodAndReporting = [start, end, cadence, grace];

/**
 * The first column of every sheet of the template: its example rows say 示例 there and are skipped on
 * import, so an example left in the file is never imported by accident. Not a field of any record;
 * the ledger does not write it.
 */
export const EXAMPLE_COLUMN = col('example', '示例行', 'Example row', 'example', (h) => h.columns.shared.example, {
  aliases: ['样例行', '示例行（导入时跳过）', 'example', 'example row', 'examples'],
  width: 8,
});

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
    help: (h) => h.sheets.departments,
    columns: [
      EXAMPLE_COLUMN,
      col('id', '部门编号', 'Department ID', 'id', (h) => h.columns.departments.id, {
        fills: 'id',
        aliases: ['编号', '单位编号', '部门id', 'id', 'dept id', 'department id'],
        width: 14,
      }),
      col('name', '部门名称', 'Department name', 'text', (h) => h.columns.departments.name, {
        fills: 'name.zh',
        aliases: ['单位名称', '部门全称', '单位全称', '名称', '部门', '单位', 'name', 'department name', 'department'],
        required: true,
        width: 24,
      }),
      nameEn((h) => h.columns.departments.nameEn),
      col('short', '简称', 'Short name', 'text', (h) => h.columns.departments.short, {
        fills: 'shortName.zh',
        aliases: ['部门简称', '单位简称', 'short name', 'shortname', 'abbreviation'],
        width: 12,
      }),
      col('shortEn', '英文简称', 'English short name', 'text', (h) => h.columns.departments.shortEn, {
        fills: 'shortName.en',
        aliases: ['short name (en)', 'short_en', 'shortname en'],
        width: 14,
      }),
      col('aliases', '别名', 'Aliases', 'textList', (h) => h.columns.departments.aliases, {
        fills: 'aliases',
        aliases: ['其他名称', '又名', 'alias', 'aliases'],
        width: 24,
      }),
      col('channel', 'Slack 频道', 'Slack channel', 'text', (h) => h.columns.departments.channel, {
        fills: 'channelId',
        aliases: ['频道', '频道id', 'channel', 'channel id', 'slack channel id'],
        width: 14,
      }),
      col('members', '联络员', 'Members', 'idList', (h) => h.columns.departments.members, {
        fills: 'memberIds',
        aliases: ['成员', '联络人', 'member ids', 'members', 'memberids', 'liaisons'],
        width: 16,
      }),
      col('leads', '负责人', 'Leads', 'idList', (h) => h.columns.departments.leads, {
        fills: 'leadIds',
        aliases: ['分管领导', '领导', 'lead ids', 'leads', 'leadids'],
        width: 16,
      }),
      col('ranked', '参与排名', 'Ranked', 'bool', (h) => h.columns.departments.ranked, {
        fills: 'ranked',
        aliases: ['排名', '参加排名', 'ranked', 'in ranking'],
        width: 9,
      }),
      sample,
      source,
    ],
  },
  targets: {
    kind: 'targets',
    zh: '指标',
    en: 'Targets',
    aliases: ['目标', '目标任务', '指标任务', '年度目标', '主要指标', 'target', 'indicators', 'kpis'],
    help: (h) => h.sheets.targets,
    columns: [
      EXAMPLE_COLUMN,
      col('id', '指标编号', 'Target ID', 'id', (h) => h.columns.targets.id, {
        fills: 'id',
        aliases: ['编号', '目标编号', 'id', 'target id'],
        width: 16,
      }),
      owner,
      co,
      col('name', '指标名称', 'Target name', 'text', (h) => h.columns.targets.name, {
        fills: 'name.zh',
        aliases: ['目标名称', '指标', '目标任务', '指标内容', '名称', 'name', 'target name', 'indicator'],
        required: true,
        width: 28,
      }),
      nameEn((h) => h.columns.targets.nameEn),
      col('kind', '类型', 'Kind', 'kind', (h) => h.columns.targets.kind, {
        fills: 'kind',
        aliases: ['指标类型', '目标类型', 'type', 'kind'],
        width: 8,
      }),
      col('target', '目标值', 'Target', 'number', (h) => h.columns.targets.target, {
        fills: 'target',
        aliases: ['目标', '年度目标', '目标数', '目标值（年度）', 'target', 'target value', 'goal'],
        required: true,
        width: 10,
      }),
      col('unit', '单位', 'Unit', 'text', (h) => h.columns.targets.unit, {
        fills: 'unit.zh',
        alsoFor: ['unit'],
        aliases: ['计量单位', '单位名称', 'unit'],
        width: 8,
      }),
      col('unitEn', '英文单位', 'English unit', 'text', (h) => h.columns.targets.unitEn, {
        fills: 'unit.en',
        aliases: ['unit (en)', 'unit_en'],
        width: 12,
      }),
      col('baseline', '基数', 'Baseline', 'number', (h) => h.columns.targets.baseline, {
        fills: 'baseline',
        aliases: ['基期值', '基准值', '起点', '上年基数', '基数值', 'baseline', 'base'],
        width: 8,
      }),
      col('comparator', '比较', 'Comparator', 'comparator', (h) => h.columns.targets.comparator, {
        fills: 'comparator',
        aliases: ['比较方式', '达标方向', '方向', 'comparator', 'direction'],
        width: 8,
      }),
      col('tolerance', '容差', 'Tolerance', 'number', (h) => h.columns.targets.tolerance, {
        fills: 'tolerance',
        aliases: ['预警幅度', '允许偏差', '预警区间', 'tolerance'],
        width: 8,
      }),
      col('checkpoints', '阶段目标', 'Checkpoints', 'checkpoints', (h) => h.columns.targets.checkpoints, {
        fills: 'checkpoints',
        aliases: ['序时节点', '分阶段目标', '序时进度', 'checkpoints'],
        width: 22,
      }),
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
    help: (h) => h.sheets.projects,
    columns: [
      EXAMPLE_COLUMN,
      col('id', '项目编号', 'Project ID', 'id', (h) => h.columns.projects.id, {
        fills: 'id',
        aliases: ['编号', 'id', 'project id'],
        width: 16,
      }),
      owner,
      co,
      col('name', '项目名称', 'Project name', 'text', (h) => h.columns.projects.name, {
        fills: 'name.zh',
        aliases: ['项目', '名称', 'name', 'project name', 'project'],
        required: true,
        width: 28,
      }),
      nameEn((h) => h.columns.projects.nameEn),
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
    help: (h) => h.sheets.commitments,
    columns: [
      EXAMPLE_COLUMN,
      col('id', '承诺编号', 'Commitment ID', 'id', (h) => h.columns.commitments.id, {
        fills: 'id',
        aliases: ['编号', '事项编号', 'id', 'commitment id'],
        width: 16,
      }),
      owner,
      co,
      col('name', '事项名称', 'Commitment', 'text', (h) => h.columns.commitments.name, {
        fills: 'name.zh',
        aliases: ['承诺事项', '承诺名称', '事项', '名称', 'name', 'commitment', 'commitment name'],
        required: true,
        width: 28,
      }),
      nameEn((h) => h.columns.commitments.nameEn),
      col('pledge', '承诺内容', 'Pledge', 'text', (h) => h.columns.commitments.pledge, {
        fills: 'pledge.zh',
        aliases: ['表态内容', '承诺原话', '具体内容', '工作内容', 'pledge'],
        required: true,
        width: 36,
      }),
      col('pledgeEn', '英文承诺内容', 'English pledge', 'text', (h) => h.columns.commitments.pledgeEn, {
        fills: 'pledge.en',
        aliases: ['pledge (en)', 'pledge_en'],
        width: 30,
      }),
      col('targets', '关联指标', 'Linked targets', 'itemList', (h) => h.columns.commitments.targets, {
        fills: 'targetIds',
        aliases: ['相关指标', 'linked targets', 'target ids', 'targets'],
        width: 22,
      }),
      col('projects', '关联项目', 'Linked projects', 'itemList', (h) => h.columns.commitments.projects, {
        fills: 'projectIds',
        aliases: ['相关项目', 'linked projects', 'project ids', 'projects'],
        width: 22,
      }),
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
    help: (h) => h.sheets.milestones,
    columns: [
      EXAMPLE_COLUMN,
      col('item', '所属项目', 'Project', 'item', (h) => h.columns.milestones.item, {
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
      }),
      col('id', '节点编号', 'Milestone ID', 'id', (h) => h.columns.milestones.id, {
        fills: 'id',
        aliases: ['编号', 'id', 'milestone id'],
        width: 12,
      }),
      col('name', '节点名称', 'Milestone', 'text', (h) => h.columns.milestones.name, {
        fills: 'name.zh',
        aliases: ['节点', '里程碑', '节点内容', '名称', 'name', 'milestone', 'milestone name'],
        required: true,
        width: 24,
      }),
      nameEn((h) => h.columns.milestones.nameEn),
      col('due', '计划完成日期', 'Due', 'date', (h) => h.columns.milestones.due, {
        fills: 'due',
        aliases: ['完成时限', '计划完成时间', '截止日期', '到期日', '计划日期', 'due', 'due date', 'deadline', 'date'],
        required: true,
        width: 14,
      }),
    ],
  },
  updates: {
    kind: 'updates',
    zh: '进展记录',
    en: 'Updates',
    aliases: ['进展', '进度', '进度记录', '报送记录', '更新记录', 'update', 'progress', 'history'],
    help: (h) => h.sheets.updates,
    requiredOneOf: [
      ['item', 'itemName'],
      ['at', 'date'],
    ],
    columns: [
      EXAMPLE_COLUMN,
      col('date', '日期', 'Date', 'date', (h) => h.columns.updates.date, {
        alsoFor: ['at'],
        aliases: ['报送日期', '更新日期', 'report date'],
        width: 12,
      }),
      col('dept', '部门', 'Department', 'text', (h) => h.columns.updates.dept, {
        aliases: ['department'],
        width: 12,
        displayOnly: true,
      }),
      col('itemName', '事项名称', 'Item', 'item', (h) => h.columns.updates.itemName, {
        alsoFor: ['itemId'],
        aliases: ['名称', '指标名称', '项目名称', 'item name', 'name'],
        width: 28,
      }),
      col('value', '数值', 'Value', 'number', (h) => h.columns.updates.value, {
        fills: 'value',
        aliases: ['实际值', '完成值', '累计完成', '最新值', '完成数', 'value', 'actual'],
        width: 10,
      }),
      col('percent', '完成百分比', 'Percent done', 'number', (h) => h.columns.updates.percent, {
        fills: 'percent',
        aliases: ['完成进度', '完成率', '形象进度', '进度', 'percent', 'percent done', 'progress'],
        width: 10,
      }),
      col('state', '状态', 'State', 'state', (h) => h.columns.updates.state, {
        fills: 'state',
        aliases: ['项目状态', 'state', 'status'],
        width: 10,
      }),
      col('milestone', '节点编号', 'Milestone', 'text', (h) => h.columns.updates.milestone, {
        fills: 'milestoneId',
        aliases: ['节点', '完成节点', '节点名称', 'milestone', 'milestone id'],
        width: 12,
      }),
      col('note', '说明', 'Note', 'longText', (h) => h.columns.updates.note, {
        fills: 'note',
        aliases: ['备注', '进展情况', '情况说明', '进展说明', 'note', 'notes', 'comment'],
        width: 40,
      }),
      col('by', '报送人', 'By', 'text', (h) => h.columns.updates.by, {
        fills: 'by',
        aliases: ['填报人', '报告人', 'by', 'reporter', 'reported by'],
        width: 12,
      }),
      col('evidence', '佐证材料', 'Evidence', 'link', (h) => h.columns.updates.evidence, {
        fills: 'evidence',
        aliases: ['佐证', '附件', '链接', 'evidence', 'link', 'attachment'],
        width: 24,
      }),
      col('source', '来源', 'Source', 'source', (h) => h.columns.updates.source, {
        fills: 'source',
        aliases: ['source', 'origin'],
        width: 9,
      }),
      sample,
      col('item', '事项编号', 'Item ID', 'item', (h) => h.columns.updates.item, {
        fills: 'itemId',
        aliases: ['所属事项', '事项', '指标编号', '项目编号', 'item', 'item id'],
        width: 16,
      }),
      col('id', '记录编号', 'Update ID', 'id', (h) => h.columns.updates.id, {
        fills: 'id',
        aliases: ['编号', 'id', 'update id'],
        width: 14,
      }),
      col('at', '时间', 'Time', 'dateTime', (h) => h.columns.updates.at, {
        fills: 'at',
        aliases: ['报送时间', '更新时间', 'time', 'at', 'reported at', 'timestamp'],
        width: 26,
      }),
    ],
  },
};

/** One line of the 基本信息 (Zone) sheet: a label in its first cell, the value in the next. */
export type ZoneField = { key: 'zone' | 'zoneEn'; zh: string; en: string; aliases: readonly string[]; help: HelpText };

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
      help: (h) => h.zone.zone,
    },
    {
      key: 'zoneEn',
      zh: '英文名称',
      en: 'English name',
      aliases: ['英文名', 'zone (en)', 'english', 'name (en)', 'zone name (en)'],
      help: (h) => h.zone.zoneEn,
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

/** What a sheet, a column or a 基本信息 line holds, in the reader's language. */
export function helpText(def: { help: HelpText }, locale: Locale): string {
  return def.help(messages(locale).templateHelp);
}

/** What a sheet, a column or a 基本信息 line holds, in Chinese and English (the 说明/Help sheet shows both). */
export function helpInBoth(def: { help: HelpText }): Bilingual {
  return fromCatalogues((m) => def.help(m.templateHelp));
}

/** The sheet (and column) name to write for a locale. */
export function sheetTitle(kind: SheetKind, locale: 'zh-CN' | 'en'): string {
  return locale === 'en' ? SHEETS[kind].en : SHEETS[kind].zh;
}
