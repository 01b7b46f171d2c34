/**
 * `writeTemplate`: the empty import template (.xlsx): a 基本信息 (Zone) sheet for the zone's name,
 * one sheet per kind with its headers, example rows from the 2026 work-meeting article (经发局:
 * 规上工业增加值增速 ≥7.5%; 住建局: 40 urban-renewal projects started), each marked 示例 in its
 * first column so that the importer skips it, drop-downs for the fixed-choice columns, and a 说明
 * (Help) sheet generated from the same column table the importer reads.
 */
import ExcelJS from 'exceljs';
import { Commitment, Department, Project, Target, Update } from '../domain/schema.ts';
import { type Catalogue, type Locale, messages, pick } from '../i18n/index.ts';
import {
  addTableSheet,
  addZoneSheet,
  choiceWords,
  commitmentRow,
  departmentRow,
  HEADER_FILL,
  milestoneRows,
  projectRow,
  type RenderOptions,
  type RowOut,
  targetRow,
  updateRow,
} from './definitions.ts';
import {
  helpInBoth,
  SHEET_KINDS,
  SHEETS,
  type SheetKind,
  sheetTitle,
  type ValueFormat,
  ZONE_SHEET,
} from './template.ts';

/**
 * The example records. Ids are only for wiring the examples together here: the template leaves id
 * columns empty and refers by name, so importing it unchanged also shows how ids are derived.
 */
function examples() {
  const year = { start: '2026-01-01', end: '2026-12-31' };
  const departments = [
    Department.parse({
      id: 'edb',
      name: { zh: '经济发展局', en: 'Economic Development Bureau' },
      shortName: { zh: '经发局', en: 'EDB' },
      aliases: ['经发', '经济局'],
      source: '经济发展局',
    }),
    Department.parse({
      id: 'hurdb',
      name: { zh: '住房和城乡建设局', en: 'Housing and Urban-Rural Development Bureau' },
      shortName: { zh: '住建局', en: 'HURDB' },
      aliases: ['住建', '建设局'],
      source: '住建局',
    }),
  ];
  const targets = [
    Target.parse({
      id: 'iva',
      departmentId: 'edb',
      name: { zh: '规上工业增加值增速', en: 'Growth of industrial value added (above designated size)' },
      category: { zh: '经济运行', en: 'Economic performance' },
      kind: 'level',
      target: 7.5,
      unit: { zh: '%', en: '%' },
      comparator: 'atLeast',
      tolerance: 0.5,
      period: year,
      source: '力争规上工业增加值7.5%以上',
    }),
    Target.parse({
      id: 'renewal',
      departmentId: 'hurdb',
      name: { zh: '城市更新项目开工数', en: 'Urban-renewal projects started' },
      category: { zh: '城市更新', en: 'Urban renewal' },
      kind: 'cumulative',
      baseline: 0,
      target: 40,
      unit: { zh: '项', en: 'projects' },
      checkpoints: [
        { date: '2026-03-31', share: 0.15 },
        { date: '2026-06-30', share: 0.45 },
        { date: '2026-09-30', share: 0.75 },
      ],
      period: year,
      sample: true,
      source: '实施四大类共40项更新项目',
    }),
  ];
  const projects = [
    Project.parse({
      id: 'project',
      departmentId: 'hurdb',
      name: { zh: '老旧小区改造示例项目', en: 'Sample old-compound renovation' },
      category: { zh: '老旧小区改造', en: 'Old residential compounds' },
      tags: ['城市更新'],
      period: year,
      milestones: [
        { id: 'm1', name: { zh: '开工', en: 'Works start' }, due: '2026-03-31' },
        { id: 'm2', name: { zh: '主体完工', en: 'Main works complete' }, due: '2026-08-31' },
        { id: 'm3', name: { zh: '竣工验收', en: 'Completion acceptance' }, due: '2026-11-30' },
      ],
      sample: true,
      source: '实施四大类共40项更新项目',
    }),
  ];
  const commitments = [
    Commitment.parse({
      id: 'growth',
      departmentId: 'edb',
      name: { zh: '推动量的合理增长', en: 'Reasonable growth in volume' },
      pledge: { zh: '推动量的合理增长，力争规上工业增加值7.5%以上，批发零售企稳回升' },
      targetIds: ['iva'],
      period: year,
      reporting: { cadence: 'quarterly' },
      source: '推动量的合理增长,力争规上工业增加值7.5%以上,批发零售企稳回升',
    }),
  ];
  const updates = [
    Update.parse({
      id: 'u',
      itemId: 'iva',
      at: '2026-03-31T12:00:00+08:00',
      by: '督查室',
      value: 7.1,
      note: '1—2月快报（示例）',
      source: 'import',
      sample: true,
    }),
  ];
  return { departments, targets, projects, commitments, updates };
}

const DROPDOWN_ROWS = 500;

function dropdown(format: ValueFormat, locale: Locale): string[] | undefined {
  const w = choiceWords(locale);
  switch (format) {
    case 'kind':
      return Object.values(w.kind);
    case 'comparator':
      return ['≥', '≤'];
    case 'cadence':
      return Object.values(w.cadence);
    case 'state':
      return Object.values(w.state);
    case 'bool':
      return [w.yes, w.no];
    case 'source':
      return ['import', 'slack', 'command', 'form', 'console', 'seed'];
    case 'example':
      return [exampleWord(locale)];
    default:
      return undefined;
  }
}

function addDropdowns(ws: ExcelJS.Worksheet, kind: SheetKind, locale: Locale): void {
  SHEETS[kind].columns.forEach((c, i) => {
    const choices = dropdown(c.format, locale);
    if (!choices) return;
    for (let row = 2; row <= DROPDOWN_ROWS + 1; row++) {
      // exceljs merges identical neighbouring validations into one range when it writes.
      ws.getCell(row, i + 1).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${choices.join(',')}"`],
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: pick(c, locale),
        error: messages(locale).templateHelp.dropdownError(choices),
      };
    }
  });
}

/** The help sheet's columns, headed in both languages. */
function helpColumns(): Array<{ header: string; key: string; width: number }> {
  const zh = messages('zh-CN').templateHelp.headers;
  const en = messages('en').templateHelp.headers;
  return [
    { header: `${zh.sheet} ${en.sheet}`, key: 'sheet', width: 14 },
    { header: `${zh.column} ${en.column}`, key: 'zh', width: 14 },
    { header: en.englishHeader, key: 'en', width: 22 },
    { header: `${zh.required} ${en.required}`, key: 'required', width: 10 },
    { header: `${zh.aliases} ${en.aliases}`, key: 'aliases', width: 30 },
    { header: zh.notes, key: 'helpZh', width: 60 },
    { header: en.notes, key: 'helpEn', width: 60 },
  ];
}

/** The general notes at the foot of the help sheet, each in Chinese and English. */
function generalHelp(): Array<[string, string]> {
  const lines = (locale: Locale) => {
    const m = messages(locale);
    return [...m.templateHelp.general, m.sheetImport.helpExamples, m.sheetImport.helpZone, m.templateHelp.csv];
  };
  const en = lines('en');
  return lines('zh-CN').map((zh, i) => [zh, en[i] ?? '']);
}

function addHelpSheet(wb: ExcelJS.Workbook, locale: Locale): void {
  const ws = wb.addWorksheet(messages(locale).templateHelp.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = helpColumns();
  ws.getRow(1).font = { bold: true };
  const zone = ws.addRow({
    sheet: `${ZONE_SHEET.zh} ${ZONE_SHEET.en}`,
    helpZh: messages('zh-CN').sheetImport.helpZone,
    helpEn: messages('en').sheetImport.helpZone,
  });
  zone.font = { bold: true };
  zone.fill = HEADER_FILL;
  for (const f of ZONE_SHEET.fields) {
    const help = helpInBoth(f);
    ws.addRow({
      sheet: ZONE_SHEET.zh,
      zh: f.zh,
      en: f.en,
      aliases: f.aliases.join('、'),
      helpZh: help.zh,
      helpEn: help.en,
    });
  }
  for (const kind of SHEET_KINDS) {
    const def = SHEETS[kind];
    const sheetHelp = helpInBoth(def);
    const section = ws.addRow({ sheet: `${def.zh} ${def.en}`, helpZh: sheetHelp.zh, helpEn: sheetHelp.en });
    section.font = { bold: true };
    section.fill = HEADER_FILL;
    for (const c of def.columns) {
      const oneOf = def.requiredOneOf?.find((group) => group.includes(c.key));
      const help = helpInBoth(c);
      ws.addRow({
        sheet: def.zh,
        zh: c.zh,
        en: c.en,
        required: c.required
          ? both((m) => m.templateHelp.requiredYes)
          : oneOf
            ? both((m) => m.templateHelp.oneOf(oneOf.length))
            : '',
        aliases: c.aliases.join('、'),
        helpZh: help.zh,
        helpEn: help.en,
      });
    }
  }
  ws.addRow({});
  for (const [zh, en] of generalHelp()) ws.addRow({ sheet: '※', helpZh: zh, helpEn: en });
  ws.eachRow((row) => {
    row.alignment = { vertical: 'top', wrapText: true };
  });
}

export type TemplateOptions = {
  /** Language of sheet names, headers and drop-down words (the importer reads both). Default zh-CN. */
  locale?: Locale;
  /** The zone's name, written on the 基本信息 sheet (empty there otherwise, to be filled in). */
  zone?: { zh: string; en?: string };
};

/** Example rows: grey italics on a pale fill, so they read as not part of the data. */
const EXAMPLE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

/** The word the template writes in the 示例行 column of its examples. */
function exampleWord(locale: Locale): string {
  return messages(locale).templateHelp.exampleWord;
}

/** A word of the help sheet in Chinese, then in English. */
function both(f: (m: Catalogue) => string): string {
  return `${f(messages('zh-CN'))} ${f(messages('en'))}`;
}

/** The import template as an .xlsx, example rows filled in. */
export async function writeTemplate(options: TemplateOptions = {}): Promise<Buffer> {
  const locale = options.locale ?? 'zh-CN';
  const mark = (row: RowOut): RowOut => ({ example: exampleWord(locale), ...row });
  const ex = examples();
  const render: RenderOptions = {
    locale,
    mode: 'template',
    departments: new Map(ex.departments.map((d) => [d.id, d])),
    items: new Map([...ex.targets, ...ex.projects, ...ex.commitments].map((i) => [i.id, i])),
    timeZone: 'Asia/Shanghai',
  };
  const owners = new Map(
    [...ex.targets, ...ex.projects, ...ex.commitments].map((i) => [
      i.id,
      render.departments.get(i.departmentId)?.shortName.zh ?? i.departmentId,
    ]),
  );
  const rows: Record<SheetKind, RowOut[]> = {
    departments: ex.departments.map((d) => mark(departmentRow(d, render))),
    targets: ex.targets.map((t) => mark(targetRow(t, render))),
    projects: ex.projects.map((p) => mark(projectRow(p, render))),
    commitments: ex.commitments.map((c) => mark(commitmentRow(c, render))),
    milestones: [...ex.projects, ...ex.commitments].flatMap((i) => milestoneRows(i, render).map(mark)),
    updates: ex.updates.map((u) => mark(updateRow(u, render, owners.get(u.itemId)))),
  };
  const wb = new ExcelJS.Workbook();
  wb.creator = 'duban';
  // A fixed date, so the template is the same file whenever it is written.
  wb.created = new Date('2026-01-01T00:00:00Z');
  wb.modified = wb.created;
  addZoneSheet(wb, locale, options.zone ?? {});
  for (const kind of SHEET_KINDS) {
    const ws = addTableSheet(
      wb,
      sheetTitle(kind, locale),
      { columns: SHEETS[kind].columns, rows: rows[kind] },
      locale,
      { required: true },
    );
    ws.eachRow((row, n) => {
      if (n === 1) return;
      row.font = { italic: true, color: { argb: 'FF595959' } };
      for (let c = 1; c <= SHEETS[kind].columns.length; c++) row.getCell(c).fill = EXAMPLE_FILL;
      row.getCell(1).font = { bold: true, color: { argb: 'FFC00000' } };
    });
    addDropdowns(ws, kind, locale);
  }
  addHelpSheet(wb, locale);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The examples the template carries, for tests and docs. */
export const templateExamples = examples;
