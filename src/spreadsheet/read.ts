/**
 * `readSpreadsheet`: an .xlsx or .csv in the template's shape (see docs/spreadsheet-template.md)
 * to an `ImportFile`, validated by the zod schema and the reference checks, or every problem found,
 * each located by sheet, row and column. Pure: bytes and options in, data out.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  Commitment,
  type Commitment as CommitmentT,
  Department,
  type Department as DepartmentT,
  findReferenceProblems,
  ImportFile,
  type ImportFile as ImportFileT,
  Project,
  type Project as ProjectT,
  Target,
  type Target as TargetT,
  Update,
} from '../domain/schema.ts';
import type { Catalogue } from '../i18n/index.ts';
import {
  EMPTY,
  type NumberRead,
  type Parsed,
  parseBool,
  parseCheckpoints,
  parseChoice,
  parseDate,
  parseDateTime,
  parseEvidence,
  parseNumber,
  type Scalar,
  shown,
  splitIdList,
  splitRefList,
  splitTextList,
  toText,
} from './cells.ts';
import { WORKBOOK_LIMITS, type WorkbookLimits } from './limits.ts';
import {
  type Bilingual,
  fromCatalogues,
  ProblemList,
  type ProblemWords,
  type SheetProblem,
  worded,
} from './problems.ts';
import { describeIssue, describeReference, isDuplicate, referredId } from './schema-problems.ts';
import { loadTables, type Table, type TableRow, type ZoneSheet } from './sheets.ts';
import { columnDef, columnForPath, EXAMPLE_WORDS, type SheetKind, type ZoneField } from './template.ts';

export type ReadOptions = {
  /** Departments already in the store: items may name them by id, name, short name or alias. */
  knownDepartments?: readonly DepartmentT[];
  /**
   * Items already in the store. A row without an id takes the id of the known item of the same kind,
   * lead department and name; a row whose item is known keeps the known values of every column the
   * sheet does not have; milestones and updates may refer to known items.
   */
  knownItems?: { targets?: readonly TargetT[]; projects?: readonly ProjectT[]; commitments?: readonly CommitmentT[] };
  /** The year an item covers when it has neither a start date nor a due date. */
  defaultYear?: number;
  /** Offset for update times written without one. Default "+08:00" (China Standard Time). */
  utcOffset?: string;
  /** `by` of updates whose 报送人 is empty. Default "import". */
  defaultBy?: string;
  /** Default 20 MiB. */
  maxBytes?: number;
  /** Non-empty data rows across all sheets. Default 50,000, as many as the workbook may have rows. */
  maxRows?: number;
  /** Bounds on the workbook checked before it is loaded (see limits.ts); each defaults to WORKBOOK_LIMITS. */
  limits?: Partial<WorkbookLimits>;
};

export type ReadResult =
  | { ok: true; file: ImportFileT; rows: number; warnings: SheetProblem[] }
  | { ok: false; problems: SheetProblem[]; warnings: SheetProblem[] };

const DEFAULTS = {
  utcOffset: '+08:00',
  defaultBy: 'import',
  maxBytes: 20 * 1024 * 1024,
  maxRows: WORKBOOK_LIMITS.maxRows,
};

type Raw = Record<string, unknown>;
type ItemKindKey = 'targets' | 'projects' | 'commitments';
const ITEM_PREFIX: Record<ItemKindKey, string> = { targets: 't', projects: 'p', commitments: 'c' };

/** Deterministic ids: a prefix and the first hex digits of a SHA-256 of the parts. Documented in docs/spreadsheet-template.md. */
export function deriveId(prefix: string, parts: readonly string[], length = 10): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, length)}`;
}

/** How names are compared: width, case and spaces ignored. */
export function nameKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

function setOptional(target: Raw, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

// ---------------------------------------------------------------------------------------------
// Reading one row's cells, reporting each problem at its cell.

const KIND_WORDS = [
  ['cumulative', ['累计', '累计型', '累计值', '总量', '数量', 'count', 'total']],
  ['level', ['水平', '水平型', '比率', '增速', '达标', 'rate']],
] as const;
const COMPARATOR_WORDS = [
  ['atLeast', ['≥', '>=', '不低于', '不少于', '以上', '至少', 'at least', 'min']],
  ['atMost', ['≤', '<=', '不高于', '不超过', '以下', '至多', 'at most', 'max']],
] as const;
const CADENCE_WORDS = [
  ['weekly', ['每周', '周', '周报', '按周']],
  ['monthly', ['每月', '月', '月度', '月报', '按月']],
  ['quarterly', ['每季度', '季度', '每季', '季报', '按季度']],
  ['none', ['不报送', '无', '不需报送', '不定期']],
] as const;
const STATE_WORDS = [
  ['planned', ['计划', '计划中', '未开工', '未开始', '谋划']],
  ['in_progress', ['推进中', '进行中', '在建', '实施中', '已开工', 'in progress', 'ongoing']],
  ['blocked', ['受阻', '停滞', '卡壳']],
  ['delayed', ['延期', '滞后', '延误']],
  ['done', ['完成', '已完成', '竣工', '完工', 'completed', 'finished']],
] as const;
const SOURCE_WORDS = [
  ['seed', ['示例', '种子']],
  ['import', ['导入']],
  ['slack', []],
  ['command', ['命令']],
  ['form', ['表单']],
  ['console', ['控制台']],
] as const;

class RowReader {
  constructor(
    readonly table: Table,
    readonly row: TableRow,
    private readonly problems: ProblemList,
  ) {}

  get n(): number {
    return this.row.n;
  }

  has(key: string): boolean {
    return this.table.columns.has(key);
  }

  header(key: string): string {
    return this.table.columns.get(key)?.header ?? columnDef(this.table.kind, key).zh;
  }

  scalar(key: string): Scalar {
    return this.row.cells.get(key) ?? EMPTY;
  }

  isBad(key: string): boolean {
    return this.row.bad.has(key);
  }

  link(key: string): string | undefined {
    return this.row.links.get(key);
  }

  /** Marks columns as already reported, so that what follows from the same mistake is not reported again. */
  silence(...keys: string[]): void {
    for (const k of keys) this.row.bad.add(k);
  }

  report(key: string, message: Bilingual): void {
    if (this.row.bad.has(key)) return;
    this.row.bad.add(key);
    this.problems.add(this.table.sheet, message, this.row.n, this.header(key));
  }

  private parse<T>(key: string, parser: (s: Scalar) => Parsed<T>, required: boolean): T | undefined {
    if (this.row.bad.has(key)) return undefined;
    const s = this.scalar(key);
    if (s.t === 'empty') {
      if (required)
        this.report(
          key,
          worded((m) => m.required),
        );
      return undefined;
    }
    const r = parser(s);
    if (!r.ok) {
      this.report(key, r.message);
      return undefined;
    }
    return r.value;
  }

  text(key: string, required = false): string | undefined {
    return this.parse(key, (s) => ({ ok: true, value: toText(s) }), required);
  }

  number(key: string, options: { required?: boolean; comparator?: boolean } = {}): NumberRead | undefined {
    return this.parse(
      key,
      (s) => parseNumber(s, { comparator: options.comparator ?? false }),
      options.required ?? false,
    );
  }

  integer(key: string): number | undefined {
    const n = this.number(key);
    if (n === undefined) return undefined;
    if (!Number.isInteger(n.value) || n.percent) {
      this.report(
        key,
        worded((m, q) => m.wholeNumber(q(shown(this.scalar(key))))),
      );
      return undefined;
    }
    return n.value;
  }

  date(key: string, required = false): string | undefined {
    return this.parse(key, parseDate, required);
  }

  dateTime(key: string, utcOffset: string): string | undefined {
    return this.parse(key, (s) => parseDateTime(s, utcOffset), false);
  }

  bool(key: string): boolean | undefined {
    return this.parse(key, parseBool, false);
  }

  choice<T extends string>(key: string, table: ReadonlyArray<readonly [T, readonly string[]]>): T | undefined {
    const shownChoices = {
      zh: table.map(([v, words]) => words[0] ?? v).join(' / '),
      en: table.map(([v]) => v).join(' / '),
    };
    return this.parse(key, (s) => parseChoice(s, table, shownChoices), false);
  }

  textList(key: string): string[] | undefined {
    return this.parse(key, (s) => ({ ok: true, value: splitTextList(toText(s)) }), false);
  }

  idList(key: string): string[] | undefined {
    return this.parse(key, (s) => ({ ok: true, value: splitIdList(toText(s)) }), false);
  }

  refList(key: string): string[] | undefined {
    return this.parse(key, (s) => ({ ok: true, value: splitRefList(toText(s)) }), false);
  }

  checkpoints(key: string): Array<{ date: string; share: number }> | undefined {
    return this.parse(key, parseCheckpoints, false);
  }
}

// ---------------------------------------------------------------------------------------------
// Resolving names to ids.

/** `unknown`: nothing of that name at all (rather than several), which a sheet that could not be read may explain. */
type Resolved = { ok: true; id: string } | { ok: false; message: Bilingual; unknown?: true };

class DepartmentIndex {
  private readonly byId = new Map<string, DepartmentT | Raw>();
  private readonly byName = new Map<string, Set<string>>();
  private readonly byAlias = new Map<string, Set<string>>();

  constructor(fileDepartments: readonly Raw[], known: readonly DepartmentT[]) {
    const fileIds = new Set(fileDepartments.map((d) => d.id as string));
    for (const d of known) if (!fileIds.has(d.id)) this.add(d);
    for (const d of fileDepartments) this.add(d);
  }

  private add(d: DepartmentT | Raw): void {
    const id = d.id as string;
    this.byId.set(id, d);
    const name = (d.name ?? {}) as { zh?: string; en?: string };
    const short = (d.shortName ?? {}) as { zh?: string; en?: string };
    for (const n of [id, name.zh, name.en, short.zh, short.en]) if (n) this.put(this.byName, n, id);
    for (const a of (d.aliases ?? []) as string[]) this.put(this.byAlias, a, id);
  }

  private put(map: Map<string, Set<string>>, text: string, id: string): void {
    const k = nameKey(text);
    let s = map.get(k);
    if (!s) map.set(k, (s = new Set()));
    s.add(id);
  }

  resolve(text: string): Resolved {
    if (this.byId.has(text)) return { ok: true, id: text };
    for (const map of [this.byName, this.byAlias]) {
      const ids = map.get(nameKey(text));
      if (ids && ids.size === 1) return { ok: true, id: [...ids][0]! };
      if (ids && ids.size > 1) {
        return { ok: false, message: worded((m, q) => m.ambiguousDepartment(q(text), [...ids].join(m.listSeparator))) };
      }
    }
    return { ok: false, unknown: true, message: worded((m, q) => m.unknownDepartment(q(text))) };
  }
}

type ItemEntry = { kind: ItemKindKey; rec: Raw };

class ItemIndex {
  private readonly byId = new Map<string, ItemEntry>();
  private readonly byName = new Map<string, Set<string>>();

  add(kind: ItemKindKey, rec: Raw): void {
    const id = rec.id as string | undefined;
    if (!id) return;
    this.byId.set(id, { kind, rec });
    const name = (rec.name ?? {}) as { zh?: string; en?: string };
    for (const n of [name.zh, name.en]) {
      if (!n) continue;
      const k = nameKey(n);
      let s = this.byName.get(k);
      if (!s) this.byName.set(k, (s = new Set()));
      s.add(id);
    }
  }

  get(id: string): ItemEntry | undefined {
    return this.byId.get(id);
  }

  resolve(text: string, kinds: readonly ItemKindKey[], what: ItemWord): Resolved {
    const direct = this.byId.get(text);
    if (direct && kinds.includes(direct.kind)) return { ok: true, id: text };
    const ids = [...(this.byName.get(nameKey(text)) ?? [])].filter((id) => kinds.includes(this.byId.get(id)!.kind));
    if (ids.length === 1) return { ok: true, id: ids[0]! };
    if (ids.length > 1) {
      return {
        ok: false,
        message: worded((m, q) => m.ambiguousItem(m.itemWords[what], q(text), ids.join(m.listSeparator))),
      };
    }
    return { ok: false, unknown: true, message: worded((m, q) => m.unknownItem(m.itemWord[what], q(text))) };
  }
}

// ---------------------------------------------------------------------------------------------
// Building records from rows. Each record remembers the row it came from, for messages.

type Origin = { reader: RowReader; milestoneRows: RowReader[] };
type Built = { kind: SheetKind; rec: Raw; origin: Origin };

type BuildContext = {
  options: Required<Pick<ReadOptions, 'utcOffset' | 'defaultBy'>> & ReadOptions;
  /**
   * Kinds with a sheet that could not be read (a required column missing, said once for the sheet):
   * a name that cannot be found may be in it, so not finding one is not reported again row by row.
   */
  unread: ReadonlySet<SheetKind>;
  /** Names (nameKey) of the example rows set aside, by kind, to say so when a row names one of them. */
  examples: ExampleNames;
};

/**
 * Reports a failed look-up of `text`, unless it may only have failed because a sheet of `kinds` was
 * not read; when an example row has that name, says so.
 */
function reportUnresolved(
  r: RowReader,
  key: string,
  text: string,
  res: Extract<Resolved, { ok: false }>,
  kinds: readonly SheetKind[],
  ctx: BuildContext,
): void {
  if (res.unknown && kinds.some((k) => ctx.unread.has(k))) {
    r.silence(key);
    return;
  }
  const example = res.unknown
    ? kinds.map((k) => ctx.examples.get(k)?.get(nameKey(text))).find((e) => e !== undefined)
    : undefined;
  if (!example) {
    r.report(key, res.message);
    return;
  }
  r.report(
    key,
    fromCatalogues((m, _q, lang) => res.message[lang] + m.sheetImport.exampleHasName(example.sheet, example.row)),
  );
}

type ExampleNames = Map<SheetKind, Map<string, { sheet: string; row: number }>>;

function exampleMark(s: Scalar): boolean | undefined {
  const text = toText(s).normalize('NFKC').trim().toLowerCase();
  if (text === '' || EXAMPLE_WORDS.no.some((w) => w === text)) return false;
  if (EXAMPLE_WORDS.yes.some((w) => w.normalize('NFKC').toLowerCase() === text)) return true;
  return undefined;
}

/**
 * Takes the rows marked as examples (示例行 = 示例) out of the tables, with a warning per sheet saying
 * which; returns how many, and their names.
 */
function setAsideExamples(
  tables: readonly Table[],
  problems: ProblemList,
  warnings: ProblemList,
): { count: number; names: ExampleNames } {
  const names: ExampleNames = new Map();
  let count = 0;
  for (const table of tables) {
    const column = table.columns.get('example');
    if (!column || table.unusable) continue;
    const skipped: number[] = [];
    table.rows = table.rows.filter((row) => {
      const mark = row.cells.get('example');
      if (!mark) return true;
      const example = exampleMark(mark);
      if (example === undefined) {
        problems.add(
          table.sheet,
          fromCatalogues((m) => m.sheetImport.exampleMarkBad(shown(mark))),
          row.n,
          column.header,
        );
        return true;
      }
      if (!example) return true;
      skipped.push(row.n);
      let byName = names.get(table.kind);
      if (!byName) names.set(table.kind, (byName = new Map()));
      for (const key of ['name', 'short']) {
        const cell = row.cells.get(key);
        if (cell && !byName.has(nameKey(toText(cell))))
          byName.set(nameKey(toText(cell)), { sheet: table.sheet, row: row.n });
      }
      return false;
    });
    if (skipped.length === 0) continue;
    count += skipped.length;
    warnings.add(
      table.sheet,
      fromCatalogues((m) => m.sheetImport.examplesSkipped(skipped.join(m.importProblems.listSeparator))),
    );
  }
  return { count, names };
}

/** The zone's name from the 基本信息 sheet, when it gives one. */
function readZone(
  zone: ZoneSheet | undefined,
  problems: ProblemList,
): { zone: { zh: string; en?: string } } | undefined {
  if (!zone) return undefined;
  const field = (key: ZoneField['key']) => {
    const v = zone.values.get(key);
    const text = v ? toText(v.scalar).trim() : '';
    return v && text !== '' ? { text, row: v.row, label: v.label } : undefined;
  };
  const zh = field('zone');
  const en = field('zoneEn');
  const both = (f: (m: Catalogue['sheetImport']) => string) => fromCatalogues((m) => f(m.sheetImport));
  if (!zh) {
    if (en)
      problems.add(
        zone.sheet,
        both((m) => m.zoneEnWithoutZh),
        en.row,
        en.label,
      );
    return undefined;
  }
  let ok = true;
  for (const f of [zh, en]) {
    if (f && [...f.text].length > 200) {
      problems.add(
        zone.sheet,
        both((m) => m.zoneTooLong([...f.text].length)),
        f.row,
        f.label,
      );
      ok = false;
    }
  }
  return ok ? { zone: { zh: zh.text, ...(en ? { en: en.text } : {}) } } : undefined;
}

function readersOf(tables: readonly Table[], kind: SheetKind, problems: ProblemList): RowReader[] {
  return tables
    .filter((t) => t.kind === kind && !t.unusable)
    .flatMap((t) => t.rows.map((r) => new RowReader(t, r, problems)));
}

function buildDepartments(readers: readonly RowReader[], ctx: BuildContext): Built[] {
  const known = ctx.options.knownDepartments ?? [];
  const knownById = new Map(known.map((d) => [d.id, d]));
  const knownByName = new Map<string, string>();
  for (const d of known) for (const n of [d.name.zh, d.shortName.zh]) if (n) knownByName.set(nameKey(n), d.id);
  return readers.map((r) => {
    const name = r.text('name', true);
    const short = r.text('short');
    const id =
      r.text('id') ??
      (name !== undefined
        ? (knownByName.get(nameKey(name)) ?? (short !== undefined ? knownByName.get(nameKey(short)) : undefined))
        : undefined) ??
      deriveId('d', [nameKey(short ?? name ?? `row-${r.n}`)]);
    const base = knownById.get(id);
    const rec: Raw = base ? clone(base) : {};
    rec.id = id;
    const nameObj = { ...((rec.name as Raw | undefined) ?? {}) };
    setOptional(nameObj, 'zh', name);
    if (r.has('nameEn')) setOptional(nameObj, 'en', r.text('nameEn'));
    rec.name = nameObj;
    const shortObj = { ...((rec.shortName as Raw | undefined) ?? {}) };
    if (r.has('short')) setOptional(shortObj, 'zh', short);
    if (r.has('shortEn')) setOptional(shortObj, 'en', r.text('shortEn'));
    rec.shortName = shortObj;
    if (r.has('aliases')) rec.aliases = r.textList('aliases') ?? [];
    if (r.has('channel')) setOptional(rec, 'channelId', r.text('channel'));
    if (r.has('members')) rec.memberIds = r.idList('members') ?? [];
    if (r.has('leads')) rec.leadIds = r.idList('leads') ?? [];
    if (r.has('ranked')) setOptional(rec, 'ranked', r.bool('ranked'));
    if (r.has('sample')) setOptional(rec, 'sample', r.bool('sample'));
    if (r.has('source')) setOptional(rec, 'source', r.text('source'));
    return { kind: 'departments' as const, rec, origin: { reader: r, milestoneRows: [] } };
  });
}

function resolveDepartment(
  r: RowReader,
  key: string,
  text: string,
  departments: DepartmentIndex,
  ctx: BuildContext,
): string | undefined {
  const res = departments.resolve(text);
  if (res.ok) return res.id;
  reportUnresolved(r, key, text, res, ['departments'], ctx);
  return undefined;
}

type KnownItems = Map<string, { kind: ItemKindKey; rec: Raw }>;

function knownItemMaps(options: ReadOptions): { byId: KnownItems; byOwnerName: Map<string, string> } {
  const byId: KnownItems = new Map();
  const byOwnerName = new Map<string, string>();
  for (const kind of ['targets', 'projects', 'commitments'] as const) {
    for (const item of options.knownItems?.[kind] ?? []) {
      byId.set(item.id, { kind, rec: item as unknown as Raw });
      byOwnerName.set(`${kind}\u001f${item.departmentId}\u001f${nameKey(item.name.zh)}`, item.id);
    }
  }
  return { byId, byOwnerName };
}

/** Fields every item has: id, owner, co-owners, name, category, tags, period, reporting, sample, source. */
function buildItemBase(
  kind: ItemKindKey,
  r: RowReader,
  ctx: BuildContext,
  departments: DepartmentIndex,
  known: ReturnType<typeof knownItemMaps>,
): Raw {
  const ownerText = r.text('owner', true);
  const owner = ownerText !== undefined ? resolveDepartment(r, 'owner', ownerText, departments, ctx) : undefined;
  const name = r.text('name', true);
  const givenId = r.text('id');
  const id =
    givenId ??
    (owner !== undefined && name !== undefined
      ? known.byOwnerName.get(`${kind}\u001f${owner}\u001f${nameKey(name)}`)
      : undefined) ??
    deriveId(ITEM_PREFIX[kind], [owner ?? ownerText ?? '', nameKey(name ?? `row-${r.n}`)]);
  const knownItem = known.byId.get(id);
  const rec: Raw = knownItem && knownItem.kind === kind ? clone(knownItem.rec) : {};
  rec.id = id;
  setOptional(rec, 'departmentId', owner);
  if (r.has('co')) {
    const list = r.textList('co') ?? [];
    const ids: string[] = [];
    for (const t of list) {
      const resolved = resolveDepartment(r, 'co', t, departments, ctx);
      if (resolved !== undefined && !ids.includes(resolved)) ids.push(resolved);
    }
    rec.coDepartmentIds = ids;
  }
  const nameObj = { ...((rec.name as Raw | undefined) ?? {}) };
  setOptional(nameObj, 'zh', name);
  if (r.has('nameEn')) setOptional(nameObj, 'en', r.text('nameEn'));
  rec.name = nameObj;
  if (r.has('category') || r.has('categoryEn')) {
    const cat = { ...((rec.category as Raw | undefined) ?? {}) };
    if (r.has('category')) setOptional(cat, 'zh', r.text('category'));
    if (r.has('categoryEn')) setOptional(cat, 'en', r.text('categoryEn'));
    setOptional(rec, 'category', Object.keys(cat).length > 0 ? cat : undefined);
  }
  if (r.has('tags')) rec.tags = r.textList('tags') ?? [];
  readPeriod(r, rec, ctx);
  if (r.has('cadence') || r.has('grace')) {
    const reporting = { ...((rec.reporting as Raw | undefined) ?? { cadence: 'monthly', graceDays: 5 }) };
    if (r.has('cadence')) reporting.cadence = r.choice('cadence', CADENCE_WORDS) ?? 'monthly';
    if (r.has('grace')) reporting.graceDays = r.integer('grace') ?? 5;
    rec.reporting = reporting;
  }
  if (r.has('sample')) setOptional(rec, 'sample', r.bool('sample'));
  if (r.has('source')) setOptional(rec, 'source', r.text('source'));
  return rec;
}

function readPeriod(r: RowReader, rec: Raw, ctx: BuildContext): void {
  if (r.isBad('start') || r.isBad('end')) {
    r.silence('start', 'end');
    return;
  }
  const base = rec.period as { start?: string; end?: string } | undefined;
  let start = r.has('start') ? r.date('start') : base?.start;
  let end = r.has('end') ? r.date('end') : base?.end;
  if (r.isBad('start') || r.isBad('end')) {
    r.silence('start', 'end');
    return;
  }
  if (start === undefined && end !== undefined) start = `${end.slice(0, 4)}-01-01`;
  if (end === undefined && start !== undefined) end = `${start.slice(0, 4)}-12-31`;
  if (start === undefined && end === undefined && ctx.options.defaultYear !== undefined) {
    start = `${ctx.options.defaultYear}-01-01`;
    end = `${ctx.options.defaultYear}-12-31`;
  }
  if (start === undefined || end === undefined) {
    r.report(
      'end',
      worded((m) => m.dueRequired),
    );
    r.silence('start', 'end');
    return;
  }
  if (start > end) {
    r.report(
      r.has('start') ? 'start' : 'end',
      worded((m) => m.startAfterDue(start, end)),
    );
    r.silence('start', 'end');
    return;
  }
  rec.period = { start, end };
}

function buildTarget(
  r: RowReader,
  ctx: BuildContext,
  departments: DepartmentIndex,
  known: ReturnType<typeof knownItemMaps>,
): Raw {
  const rec = buildItemBase('targets', r, ctx, departments, known);
  const kindCell = r.has('kind') ? r.choice('kind', KIND_WORDS) : undefined;
  const target = r.number('target', { required: true, comparator: true });
  const comparatorCell = r.has('comparator') ? r.choice('comparator', COMPARATOR_WORDS) : undefined;
  const kind =
    kindCell ?? (comparatorCell || target?.comparator ? 'level' : ((rec.kind as string | undefined) ?? 'cumulative'));
  rec.kind = kind;
  if (target) {
    rec.target = target.value;
    if (kind === 'cumulative' && target.comparator && !r.isBad('kind')) {
      r.report(
        'target',
        worded((m, q) => m.cumulativeTargetComparator(q(shown(r.scalar('target'))))),
      );
    }
    if (comparatorCell && target.comparator && comparatorCell !== target.comparator) {
      r.report(
        'comparator',
        worded((m) => m.comparatorDisagrees),
      );
    }
  }
  // The unit: written, or "%" when the target was written as a percentage.
  const unit = { ...((rec.unit as Raw | undefined) ?? {}) };
  const unitText = r.has('unit') ? r.text('unit') : (unit.zh as string | undefined);
  if (unitText !== undefined) unit.zh = unitText;
  else if (target?.percent) unit.zh = '%';
  else delete unit.zh;
  if (r.has('unitEn')) setOptional(unit, 'en', r.text('unitEn'));
  if (unit.zh === undefined && !r.isBad('unit') && target !== undefined) {
    r.report(
      'unit',
      worded((m) => m.unitRequired),
    );
  }
  if (target?.percent && unit.zh !== undefined && unit.zh !== '%') {
    r.report(
      'target',
      worded((m, q) => m.percentButUnit(q(String(unit.zh)))),
    );
  }
  rec.unit = unit;
  if (r.has('baseline')) setOptional(rec, 'baseline', r.number('baseline')?.value);
  if (r.has('tolerance')) setOptional(rec, 'tolerance', r.number('tolerance')?.value);
  if (r.has('checkpoints')) setOptional(rec, 'checkpoints', r.checkpoints('checkpoints'));
  if (kind === 'level') {
    const comparator =
      comparatorCell ??
      target?.comparator ??
      (r.has('comparator') ? undefined : (rec.comparator as string | undefined));
    setOptional(rec, 'comparator', comparator);
  } else if (comparatorCell && !r.isBad('kind')) {
    r.report(
      'comparator',
      worded((m) => m.cumulativeComparator),
    );
  }
  return rec;
}

function buildCommitment(
  r: RowReader,
  ctx: BuildContext,
  departments: DepartmentIndex,
  known: ReturnType<typeof knownItemMaps>,
): { rec: Raw; targets?: string[]; projects?: string[] } {
  const rec = buildItemBase('commitments', r, ctx, departments, known);
  const pledge = { ...((rec.pledge as Raw | undefined) ?? {}) };
  setOptional(pledge, 'zh', r.text('pledge', true));
  if (r.has('pledgeEn')) setOptional(pledge, 'en', r.text('pledgeEn'));
  rec.pledge = pledge;
  const out: { rec: Raw; targets?: string[]; projects?: string[] } = { rec };
  if (r.has('targets')) out.targets = r.refList('targets') ?? [];
  if (r.has('projects')) out.projects = r.refList('projects') ?? [];
  return out;
}

function resolveLinks(
  r: RowReader,
  key: string,
  refs: readonly string[],
  items: ItemIndex,
  kind: ItemKindKey,
  what: ItemWord,
  ctx: BuildContext,
): string[] {
  const ids: string[] = [];
  for (const ref of refs) {
    const res = items.resolve(ref, [kind], what);
    if (res.ok) ids.push(res.id);
    else reportUnresolved(r, key, ref, res, [kind], ctx);
  }
  return ids;
}

/** What a name is looked up among, for the words of a failed look-up. */
type ItemWord = keyof ProblemWords['itemWord'];
const KIND_WORD: Record<ItemKindKey, ItemWord> = { targets: 'target', projects: 'project', commitments: 'commitment' };

/** Attaches the 节点 rows to their items; items named there but only known to the store are re-emitted. */
function attachMilestones(
  readers: readonly RowReader[],
  items: ItemIndex,
  fileItems: Map<string, Built>,
  built: Record<ItemKindKey, Built[]>,
  ctx: BuildContext,
): void {
  const rowsByItem = new Map<string, RowReader[]>();
  for (const r of readers) {
    const ref = r.text('item', true);
    if (ref === undefined) continue;
    const res = items.resolve(ref, ['projects', 'commitments'], 'milestoneOwner');
    if (!res.ok) {
      reportUnresolved(r, 'item', ref, res, ['projects', 'commitments'], ctx);
      continue;
    }
    let list = rowsByItem.get(res.id);
    if (!list) rowsByItem.set(res.id, (list = []));
    list.push(r);
  }
  for (const [id, rows] of rowsByItem) {
    let b = fileItems.get(id);
    if (!b) {
      const entry = items.get(id)!;
      b = { kind: entry.kind, rec: clone(entry.rec), origin: { reader: rows[0]!, milestoneRows: [] } };
      built[entry.kind].push(b);
      fileItems.set(id, b);
      items.add(entry.kind, b.rec);
    }
    const existing = new Map<string, string>();
    for (const m of (b.rec.milestones ?? []) as Array<{ id: string; name: { zh: string } }>)
      existing.set(nameKey(m.name.zh), m.id);
    b.rec.milestones = rows.map((r) => {
      const name = r.text('name', true);
      const m: Raw = {
        id:
          r.text('id') ??
          (name !== undefined ? existing.get(nameKey(name)) : undefined) ??
          deriveId('m', [nameKey(name ?? `row-${r.n}`)], 8),
      };
      const nameObj: Raw = {};
      setOptional(nameObj, 'zh', name);
      if (r.has('nameEn')) setOptional(nameObj, 'en', r.text('nameEn'));
      m.name = nameObj;
      setOptional(m, 'due', r.date('due', true));
      return m;
    });
    b.origin.milestoneRows = rows;
  }
}

function buildUpdate(r: RowReader, ctx: BuildContext, items: ItemIndex): Raw {
  const rec: Raw = {};
  const itemKey =
    r.has('item') && r.scalar('item').t !== 'empty'
      ? 'item'
      : r.has('itemName') && r.scalar('itemName').t !== 'empty'
        ? 'itemName'
        : 'item';
  const itemText = r.text(itemKey, true);
  let itemId: string | undefined;
  if (itemText !== undefined) {
    const res = items.resolve(itemText, ['targets', 'projects', 'commitments'], 'item');
    if (res.ok) itemId = res.id;
    else reportUnresolved(r, itemKey, itemText, res, ['targets', 'projects', 'commitments'], ctx);
  }
  setOptional(rec, 'itemId', itemId);
  const atKey =
    r.has('at') && r.scalar('at').t !== 'empty'
      ? 'at'
      : r.has('date') && r.scalar('date').t !== 'empty'
        ? 'date'
        : 'at';
  const at = r.has(atKey) ? r.dateTime(atKey, ctx.options.utcOffset) : undefined;
  if (at === undefined && !r.isBad(atKey))
    r.report(
      atKey,
      worded((m) => m.timeRequired),
    );
  setOptional(rec, 'at', at);
  if (r.has('value')) setOptional(rec, 'value', r.number('value')?.value);
  if (r.has('percent')) setOptional(rec, 'percent', r.number('percent')?.value);
  if (r.has('state')) setOptional(rec, 'state', r.choice('state', STATE_WORDS));
  const milestoneText = r.has('milestone') ? r.text('milestone') : undefined;
  if (milestoneText !== undefined && itemId !== undefined) {
    const milestones = (items.get(itemId)?.rec.milestones ?? []) as Array<{
      id: string;
      name: { zh: string; en?: string };
    }>;
    const m =
      milestones.find((x) => x.id === milestoneText) ??
      milestones.find(
        (x) =>
          nameKey(x.name.zh) === nameKey(milestoneText) ||
          (x.name.en !== undefined && nameKey(x.name.en) === nameKey(milestoneText)),
      );
    if (m) rec.milestoneId = m.id;
    else if (ctx.unread.has('milestones')) r.silence('milestone');
    else
      r.report(
        'milestone',
        worded((m, q) => m.noSuchMilestone(itemId, q(milestoneText))),
      );
  }
  if (r.has('note')) setOptional(rec, 'note', r.text('note'));
  rec.by = (r.has('by') ? r.text('by') : undefined) ?? ctx.options.defaultBy;
  if (r.has('evidence')) {
    const text = r.text('evidence');
    setOptional(rec, 'evidence', text === undefined ? undefined : parseEvidence(text, r.link('evidence')));
  }
  rec.source = (r.has('source') ? r.choice('source', SOURCE_WORDS) : undefined) ?? 'import';
  if (r.has('sample')) setOptional(rec, 'sample', r.bool('sample'));
  const givenId = r.text('id');
  rec.id =
    givenId ??
    deriveId(
      'u',
      [
        itemId ?? itemText ?? '',
        String(at ?? ''),
        ...['value', 'percent', 'state', 'milestoneId', 'note', 'by'].map((k) =>
          rec[k] === undefined ? '' : String(rec[k]),
        ),
      ],
      12,
    );
  return rec;
}

// ---------------------------------------------------------------------------------------------
// Validation: zod per record, then the reference checks; every issue located at its cell.

/** The row and column a path inside a record points at (the columns say which paths they fill, in template.ts). */
function locate(b: Built, path: readonly PropertyKey[]): { reader: RowReader; key: string } {
  if (path[0] === 'milestones' && typeof path[1] === 'number') {
    const reader = b.origin.milestoneRows[path[1]] ?? b.origin.reader;
    return { reader, key: columnForPath('milestones', path.slice(2), (k) => reader.has(k)) ?? 'name' };
  }
  const reader = b.origin.reader;
  return { reader, key: columnForPath(reader.table.kind, path, (k) => reader.has(k)) ?? 'id' };
}

function valueAt(rec: unknown, path: readonly PropertyKey[]): unknown {
  let node = rec;
  for (const k of path) node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[k] : undefined;
  return node;
}

type Collections = 'departments' | 'targets' | 'projects' | 'commitments' | 'updates';

const SCHEMAS: Record<Collections, z.ZodType> = {
  departments: Department,
  targets: Target,
  projects: Project,
  commitments: Commitment,
  updates: Update,
};

/**
 * Reads an .xlsx or .csv (detected by content) into an ImportFile. Every problem is collected;
 * on any problem nothing is returned but the problems.
 */
export async function readSpreadsheet(bytes: Buffer, fileName: string, options: ReadOptions = {}): Promise<ReadResult> {
  const opts = { ...DEFAULTS, ...options };
  const problems = new ProblemList();
  const warnings = new ProblemList();
  const loaded = await loadTables(
    bytes,
    fileName,
    { maxBytes: opts.maxBytes, maxRows: opts.maxRows, workbook: { ...WORKBOOK_LIMITS, ...opts.limits } },
    problems,
    warnings,
  );
  if (!loaded) return { ok: false, problems: problems.items, warnings: warnings.items };
  const examples = setAsideExamples(loaded.tables, problems, warnings);
  const meta = readZone(loaded.zone, problems);
  const ctx: BuildContext = {
    options: opts,
    unread: new Set(loaded.tables.filter((t) => t.unusable).map((t) => t.kind)),
    examples: examples.names,
  };
  const readers = (kind: SheetKind) => readersOf(loaded.tables, kind, problems);

  const departments = buildDepartments(readers('departments'), ctx);
  const deptIndex = new DepartmentIndex(
    departments.map((d) => d.rec),
    opts.knownDepartments ?? [],
  );
  const known = knownItemMaps(opts);

  const built: Record<ItemKindKey, Built[]> = { targets: [], projects: [], commitments: [] };
  for (const r of readers('targets'))
    built.targets.push({
      kind: 'targets',
      rec: buildTarget(r, ctx, deptIndex, known),
      origin: { reader: r, milestoneRows: [] },
    });
  for (const r of readers('projects'))
    built.projects.push({
      kind: 'projects',
      rec: buildItemBase('projects', r, ctx, deptIndex, known),
      origin: { reader: r, milestoneRows: [] },
    });
  const links: Array<{ b: Built; targets?: string[]; projects?: string[] }> = [];
  for (const r of readers('commitments')) {
    const c = buildCommitment(r, ctx, deptIndex, known);
    const b: Built = { kind: 'commitments', rec: c.rec, origin: { reader: r, milestoneRows: [] } };
    built.commitments.push(b);
    links.push({ b, ...(c.targets ? { targets: c.targets } : {}), ...(c.projects ? { projects: c.projects } : {}) });
  }

  const items = new ItemIndex();
  for (const [id, k] of known.byId) if (!built[k.kind].some((b) => b.rec.id === id)) items.add(k.kind, k.rec);
  const fileItems = new Map<string, Built>();
  for (const kind of ['targets', 'projects', 'commitments'] as const) {
    for (const b of built[kind]) {
      items.add(kind, b.rec);
      fileItems.set(b.rec.id as string, b);
    }
  }
  for (const l of links) {
    if (l.targets)
      l.b.rec.targetIds = resolveLinks(l.b.origin.reader, 'targets', l.targets, items, 'targets', 'target', ctx);
    if (l.projects)
      l.b.rec.projectIds = resolveLinks(l.b.origin.reader, 'projects', l.projects, items, 'projects', 'project', ctx);
  }
  attachMilestones(readers('milestones'), items, fileItems, built, ctx);
  const updates = readers('updates').map(
    (r): Built => ({ kind: 'updates', rec: buildUpdate(r, ctx, items), origin: { reader: r, milestoneRows: [] } }),
  );

  // An id the store already uses for another kind of item would collide after the merge.
  for (const kind of ['targets', 'projects', 'commitments'] as const) {
    for (const b of built[kind]) {
      const id = b.rec.id as string;
      const k = known.byId.get(id);
      if (k && k.kind !== kind && !built[k.kind].some((x) => x.rec.id === id)) {
        b.origin.reader.report(
          'id',
          worded((m) => m.idUsedByOtherKind(id, m.itemWord[KIND_WORD[k.kind]])),
        );
      }
    }
  }

  // zod, record by record.
  const parsed: Record<Collections, Array<{ b: Built; data: unknown }>> = {
    departments: [],
    targets: [],
    projects: [],
    commitments: [],
    updates: [],
  };
  const all: Array<[Collections, Built[]]> = [
    ['departments', departments],
    ['targets', built.targets],
    ['projects', built.projects],
    ['commitments', built.commitments],
    ['updates', updates],
  ];
  // Records whose own rows have problems: what refers to them is not reported again as unknown.
  const invalid = new Set<string>();
  for (const [collection, list] of all) {
    for (const b of list) {
      const result = SCHEMAS[collection].safeParse(b.rec);
      if (result.success) {
        parsed[collection].push({ b, data: result.data });
        continue;
      }
      if (typeof b.rec.id === 'string') invalid.add(b.rec.id);
      for (const issue of result.error.issues) {
        const at = locate(b, issue.path);
        if (at.reader.isBad(at.key)) continue;
        at.reader.report(at.key, describeIssue(issue, valueAt(b.rec, issue.path)));
      }
    }
  }

  // References, with the store's departments and items standing in for those not in the file.
  const extraDepartments = (opts.knownDepartments ?? []).filter(
    (d) => !parsed.departments.some((p) => (p.data as DepartmentT).id === d.id),
  );
  const doc = {
    departments: [...parsed.departments.map((p) => p.data as DepartmentT), ...extraDepartments],
    targets: [
      ...parsed.targets.map((p) => p.data as TargetT),
      ...(opts.knownItems?.targets ?? []).filter((t) => !fileItems.has(t.id)),
    ],
    projects: [
      ...parsed.projects.map((p) => p.data as ProjectT),
      ...(opts.knownItems?.projects ?? []).filter((t) => !fileItems.has(t.id)),
    ],
    commitments: [
      ...parsed.commitments.map((p) => p.data as CommitmentT),
      ...(opts.knownItems?.commitments ?? []).filter((t) => !fileItems.has(t.id)),
    ],
    updates: parsed.updates.map((p) => p.data as z.infer<typeof Update>),
    exemptions: [],
  };
  for (const issue of findReferenceProblems(doc)) {
    const [collection, index] = issue.path as [Collections, number];
    const entry = parsed[collection]?.[index];
    if (!entry) continue; // about a record of the store, not of this file
    const at = locate(entry.b, issue.path.slice(2));
    if (at.reader.isBad(at.key) && !isDuplicate(issue)) continue;
    const referred = referredId(issue);
    if (referred !== undefined && invalid.has(referred)) continue;
    at.reader.report(at.key, describeReference(issue));
  }

  const rows = loaded.rows - examples.count;
  if (problems.length === 0 && rows === 0 && !meta) {
    if (examples.count > 0)
      problems.add(
        fileName,
        fromCatalogues((m) => m.sheetImport.onlyExamples),
      );
    else
      problems.add(
        fileName,
        worded((m) => m.noDataRows),
      );
  }
  if (problems.length > 0)
    return { ok: false, problems: sortProblems(problems.items, loaded.tables), warnings: warnings.items };

  const raw = {
    departments: parsed.departments.map((p) => p.b.rec),
    targets: parsed.targets.map((p) => p.b.rec),
    projects: parsed.projects.map((p) => p.b.rec),
    commitments: parsed.commitments.map((p) => p.b.rec),
    updates: parsed.updates.map((p) => p.b.rec),
    ...(meta ? { meta } : {}),
  };
  const file = ImportFile.safeParse(raw);
  if (!file.success) {
    // Unreachable while every record passed its own schema; kept so a schema change cannot slip through.
    return {
      ok: false,
      problems: file.error.issues.map((i) => ({
        sheet: fileName,
        message: worded((m) => m.notInFormat(i.path.join('.'))),
      })),
      warnings: warnings.items,
    };
  }
  return { ok: true, file: file.data, rows, warnings: warnings.items };
}

/** Sheet order as in the workbook, then row, so a long list reads top to bottom. */
function sortProblems(items: SheetProblem[], tables: readonly Table[]): SheetProblem[] {
  const order = new Map<string, number>();
  tables.forEach((t, i) => {
    if (!order.has(t.sheet)) order.set(t.sheet, i);
  });
  return items
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        (order.get(a.p.sheet) ?? -1) - (order.get(b.p.sheet) ?? -1) || (a.p.row ?? 0) - (b.p.row ?? 0) || a.i - b.i,
    )
    .map((x) => x.p);
}
