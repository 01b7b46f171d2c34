/**
 * Spreadsheets against a store, shared by the CLI and Slack, still pure: the store is seen through
 * the domain's WritePort and through an `Importer`, the store's import transaction (`importParsed`
 * in src/store/import.ts) as the edges bind it. Read an upload with the store's departments and
 * items (in a worker thread, see isolated.ts), preview what it would change, and export the ledger
 * (with the journal's history as it stands) and the bulletin.
 */
import { bulletinCharts, type DrawnChart, type MissingChart } from '../charts/bulletin.ts';
import type { ChartPort } from '../charts/port.ts';
import { type BulletinSnapshot, buildBulletin } from '../domain/bulletin.ts';
import { localDate } from '../domain/dates.ts';
import { applyPatch, type JournalEvent } from '../domain/journal.ts';
import type { ImportSummary } from '../domain/merge.ts';
import type { WritePort } from '../domain/ports.ts';
import { foldProgress } from '../domain/progress.ts';
import type { ReadModel } from '../domain/read-model.ts';
import type { ImportFile, Text, Update } from '../domain/schema.ts';
import type { MonthlyScores } from '../domain/scoring.ts';
import type { Locale } from '../i18n/index.ts';
import type { BulletinChart } from './bulletin-export.ts';
import { describeImport, type ImportChanges } from './diff.ts';
import { readSpreadsheetIsolated } from './isolated.ts';
import type { SheetProblem } from './problems.ts';
import type { ReadOptions, ReadResult } from './read.ts';

/**
 * The store's import transaction: with `dryRun`, what it would do; otherwise one transaction with an
 * `import` journal event by `by`. A file that does not fit the merged store (the reference checks)
 * gives its problems and nothing is written.
 */
export type Importer = (
  file: ImportFile,
  label: string,
  options: { dryRun?: boolean; now: Date; by?: string },
) => Promise<{ ok: true; summary: ImportSummary } | { ok: false; problems: string[] }>;

/** Reads a spreadsheet: `readSpreadsheetIsolated` (a worker thread) for uploads, or `readSpreadsheet` in process. */
export type SpreadsheetReader = (bytes: Buffer, fileName: string, options: ReadOptions) => Promise<ReadResult>;

/** What a preview reads of the store. */
export type StoreView = Pick<WritePort, 'model' | 'history'>;

/** Default cap on an uploaded spreadsheet, as `readSpreadsheet`'s own default. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** "+08:00": the zone's offset from UTC at `at`, for update times written without one. */
export function utcOffsetOf(timeZone: string, at: Date): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{1,2})(?::?(\d{2}))?/.exec(name);
  if (!m) return '+00:00';
  return `${m[1]}${m[2]!.padStart(2, '0')}:${m[3] ?? '00'}`;
}

/** What the reader needs from the store: its departments and items (to keep ids), the year, the zone's offset. */
export function readOptionsFor(
  model: Pick<ReadModel, 'db' | 'timeZone'>,
  now: Date,
  maxBytes = MAX_UPLOAD_BYTES,
): ReadOptions {
  const db = model.db;
  return {
    knownDepartments: db.departments,
    knownItems: { targets: db.targets, projects: db.projects, commitments: db.commitments },
    defaultYear: db.meta.year ?? Number(localDate(now, model.timeZone).slice(0, 4)),
    utcOffset: utcOffsetOf(model.timeZone, now),
    maxBytes,
  };
}

/** A JSON import file (duban's own format) rather than a spreadsheet: its first character is `{`. */
export function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x7b;
}

export type Preview = {
  file: ImportFile;
  /** The file's name, as recorded in the journal's `import` event. */
  label: string;
  warnings: SheetProblem[];
  /** Which records would be added, changed or left alone (ids). */
  changes: ImportChanges;
  /** The counts `importParsed` would report. */
  summary: ImportSummary;
  /** The zone's name, when the file (its 基本信息 sheet) renames the zone. */
  zone?: { before: Text; after: Text };
  /** True when applying it would change nothing. */
  unchanged: boolean;
};

export type PreviewResult =
  | ({ ok: true } & Preview)
  | { ok: false; label: string; problems: SheetProblem[]; warnings: SheetProblem[] };

function updateIdsOf(events: readonly JournalEvent[]): Set<string> {
  return new Set(events.flatMap((e) => (e.type === 'update' ? [e.update.id] : [])));
}

/** Problems of the merged store, as problems of the whole file. */
export function fileProblems(label: string, problems: readonly string[]): SheetProblem[] {
  return problems.map((p) => ({ sheet: label, message: { zh: p, en: p } }));
}

export function isUnchanged(s: ImportSummary): boolean {
  const kinds = [s.departments, s.targets, s.projects, s.commitments];
  return kinds.every((k) => k.added === 0 && k.changed === 0) && s.updatesAdded === 0 && !s.settingsChanged;
}

/** What importing `file` would change, validated against the store as it is now. Writes nothing. */
export async function previewParsed(
  store: StoreView,
  importer: Importer,
  file: ImportFile,
  label: string,
  now: Date,
  warnings: SheetProblem[] = [],
): Promise<PreviewResult> {
  const dry = await importer(file, label, { dryRun: true, now });
  if (!dry.ok) return { ok: false, label, problems: fileProblems(label, dry.problems), warnings };
  const db = store.model().db;
  const changes = describeImport(db, updateIdsOf(await store.history()), file);
  const zone =
    file.meta && (file.meta.zone.zh !== db.meta.zone.zh || file.meta.zone.en !== db.meta.zone.en)
      ? { before: db.meta.zone, after: file.meta.zone }
      : undefined;
  return {
    ok: true,
    file,
    label,
    warnings,
    changes,
    summary: dry.summary,
    ...(zone ? { zone } : {}),
    unchanged: isUnchanged(dry.summary) && !zone,
  };
}

/**
 * Reads an .xlsx or .csv with the store's departments and items, and previews it. Writes nothing.
 * The file is read outside the calling thread unless another `reader` is given.
 */
export async function previewSpreadsheet(
  store: StoreView,
  importer: Importer,
  bytes: Buffer,
  label: string,
  now: Date,
  maxBytes = MAX_UPLOAD_BYTES,
  reader: SpreadsheetReader = readSpreadsheetIsolated,
): Promise<PreviewResult> {
  const read = await reader(bytes, label, readOptionsFor(store.model(), now, maxBytes));
  if (!read.ok) return { ok: false, label, problems: read.problems, warnings: read.warnings };
  return previewParsed(store, importer, read.file, label, now, read.warnings);
}

/** The name of a record of the file or the store, for listing what an import adds or changes. */
export function recordName(
  kind: keyof Omit<ImportChanges, 'updates'>,
  id: string,
  file: ImportFile,
  model: Pick<ReadModel, 'db'>,
): Text | undefined {
  const inFile = (file[kind] as ReadonlyArray<{ id: string; name: Text; shortName?: Partial<Text> }>).find(
    (r) => r.id === id,
  );
  const inStore = (model.db[kind] as ReadonlyArray<{ id: string; name: Text; shortName?: Partial<Text> }>).find(
    (r) => r.id === id,
  );
  const r = inFile ?? inStore;
  if (!r) return undefined;
  return r.shortName?.zh ? { zh: r.shortName.zh, ...(r.shortName.en ? { en: r.shortName.en } : {}) } : r.name;
}

// ---------------------------------------------------------------------------------------------
// Export

/**
 * The workbook writers (exceljs) load on the first export: uploads are read in a worker, so the
 * thread that answers Slack need not hold exceljs for them.
 */
const writers = { ledger: () => import('./ledger.ts'), bulletin: () => import('./bulletin-export.ts') };

/**
 * The history as it stands, for the ledger's 进展记录: every update with its later edits applied,
 * retracted ones left out, in journal order. Importing it back skips them all (same ids); into an
 * empty store it gives the same progress.
 */
export function ledgerUpdates(events: readonly JournalEvent[]): Update[] {
  const updates = new Map<string, Update | undefined>();
  for (const e of events) {
    if (e.type === 'update') updates.set(e.update.id, e.update);
    else if (e.type === 'update.edit') {
      const u = updates.get(e.updateId);
      if (u) updates.set(e.updateId, applyPatch(u, e.after));
    } else if (e.type === 'update.retract') {
      if (updates.has(e.updateId)) updates.set(e.updateId, undefined);
    }
  }
  return [...updates.values()].filter((u): u is Update => u !== undefined);
}

/**
 * The store as it stood at `until`: progress reports made after it left out of the history and of
 * each item's progress. Unchanged (the same objects) when nothing is after it, so that reviews and
 * approvals stand as the store has them.
 */
export function storeAsOf<S extends { progress: Record<string, unknown> }>(
  state: S,
  events: readonly JournalEvent[],
  until: Date,
  timeZone: string,
): { state: S; events: JournalEvent[] } {
  const after = (u: Update) => Date.parse(u.at) > until.getTime();
  if (!ledgerUpdates(events).some(after)) return { state, events: [...events] };
  const kept = events.filter((e) => !(e.type === 'update' && after(e.update)));
  return {
    state: { ...state, progress: Object.fromEntries(foldProgress(ledgerUpdates(kept), timeZone)) },
    events: kept,
  };
}

/** The 台账 ledger of the store (one department's when `departmentId` is given), with the journal's history. */
export async function exportLedger(
  store: StoreView,
  today: string,
  locale: Locale,
  departmentId?: string,
): Promise<Buffer> {
  const model = store.model();
  const updates = ledgerUpdates(await store.history());
  const { writeLedger } = await writers.ledger();
  return writeLedger(model, today, locale, { ...(departmentId ? { departmentId } : {}), updates });
}

/**
 * The bulletin as of `today`, as an .xlsx and as Markdown (compared with `previous` when given). With
 * `charts`, the ranking and projects charts are drawn too: embedded in the workbook's 图表 sheet, and
 * referred to from the Markdown by `chartFile` (default: the chart's own file name), for the caller to
 * write or upload beside it; without, there are none. A chart that fails to draw is left out and named
 * in `missingCharts`, for the caller to say so: the files are whole without it.
 */
export async function exportBulletin(
  model: ReadModel,
  today: string,
  locale: Locale,
  previous?: { date: string; snapshot: BulletinSnapshot },
  /** The last month's results (src/domain/scoring.ts), a sheet of their own in the workbook. */
  monthly?: MonthlyScores,
  charts?: ChartPort,
  chartFile: (chart: DrawnChart) => string = (chart) => chart.image.filename,
): Promise<{ xlsx: Buffer; markdown: string; charts: BulletinChart[]; missingCharts: MissingChart[] }> {
  const bulletin = buildBulletin(model, today, previous);
  const { writeBulletinWorkbook, writeBulletinExportMarkdown } = await writers.bulletin();
  const { drawn, missing } = charts
    ? await bulletinCharts(model, today, locale, charts)
    : { drawn: [], missing: [] as MissingChart[] };
  const named = drawn.map((chart) => ({ ...chart, file: chartFile(chart) }));
  return {
    xlsx: await writeBulletinWorkbook(bulletin, model, locale, monthly, named),
    markdown: writeBulletinExportMarkdown(bulletin, model, locale, named),
    charts: named,
    missingCharts: missing,
  };
}

/** A file name safe on every system (no path separators or characters Windows refuses), keeping Chinese. */
export function safeFileName(name: string): string {
  return name
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    .replace(/\s+/g, '-')
    .slice(0, 120);
}
