/**
 * The spreadsheet commands of the CLI: `duban import FILE` (.json, .xlsx, .csv), `duban template`
 * and `duban export`. Plain functions of (ports, options, io) that write what happened and return
 * the exit code; src/main.ts reads the environment and the clock and binds the ports to the file
 * system and the store. A user's mistake (a bad file, an existing output, an unknown department) is
 * one message on stderr and exit 1.
 */
import { basename, dirname, join } from 'node:path';
import type { ChartPort } from '../charts/port.ts';
import { localDate } from '../domain/dates.ts';
import { matchDepartment } from '../domain/match.ts';
import type { ImportSummary } from '../domain/merge.ts';
import type { ReadModel } from '../domain/read-model.ts';
import type { ImportFile } from '../domain/schema.ts';
import { type Locale, messages, pick } from '../i18n/index.ts';
import type { ImportChanges } from './diff.ts';
import {
  exportBulletin,
  exportLedger,
  fileProblems,
  type Importer,
  looksLikeJson,
  MAX_UPLOAD_BYTES,
  type Preview,
  previewParsed,
  readOptionsFor,
  recordName,
  type StoreView,
  safeFileName,
} from './exchange.ts';
import { readSpreadsheetIsolated } from './isolated.ts';
import { formatProblem, type SheetProblem } from './problems.ts';

export type CliIo = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

/** The file system as the commands use it; errors are Node's (`code` ENOENT, EEXIST…). */
export type CliFiles = {
  stat(path: string): Promise<{ size: number; directory: boolean }>;
  read(path: string): Promise<Buffer>;
  /** With `exclusive`, fails with EEXIST rather than replace a file. */
  write(path: string, data: Buffer | string, exclusive: boolean): Promise<void>;
};

/** What `duban import` needs: files, the store (read), its import transaction, and the JSON reader. */
export type ImportPorts = {
  files: CliFiles;
  store: StoreView;
  importer: Importer;
  /** duban's own JSON format (src/store/import.ts readImportFile); throws DataFileError naming every problem. */
  readJson(path: string): Promise<ImportFile>;
};

const KINDS = ['departments', 'targets', 'projects', 'commitments'] as const;
const LISTED = 10;

function fail(io: CliIo, message: string): number {
  io.err.write(`duban: ${message}\n`);
  return 1;
}

function names(
  kind: (typeof KINDS)[number],
  ids: readonly string[],
  file: ImportFile,
  model: ReadModel,
  locale: Locale,
): string {
  const shown = ids.slice(0, LISTED).map((id) => {
    const name = recordName(kind, id, file, model);
    return name ? `${pick(name, locale)} (${id})` : id;
  });
  const more = ids.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? `, … and ${more} more` : ''}`;
}

/** The counts per kind, and (for a dry run) which records would be added or changed. */
export function summaryText(
  s: ImportSummary,
  detail?: { changes: ImportChanges; file: ImportFile; model: ReadModel; locale: Locale },
): string {
  const lines: string[] = [];
  for (const kind of KINDS) {
    const c = s[kind];
    lines.push(`  ${kind.padEnd(12)} ${c.added} new, ${c.changed} changed, ${c.unchanged} unchanged`);
    if (detail) {
      const ch = detail.changes[kind];
      if (ch.added.length > 0)
        lines.push(`      new: ${names(kind, ch.added, detail.file, detail.model, detail.locale)}`);
      if (ch.changed.length > 0)
        lines.push(`      changed: ${names(kind, ch.changed, detail.file, detail.model, detail.locale)}`);
    }
  }
  lines.push(`  ${'history'.padEnd(12)} ${s.updatesAdded} new, ${s.updatesSkipped} already present`);
  if (s.settingsChanged) lines.push('  settings     replaced');
  return lines.join('\n');
}

function writeWarnings(io: CliIo, warnings: readonly SheetProblem[], locale: Locale): void {
  for (const w of warnings) io.err.write(`${messages(locale).sheetImport.warningLabel}: ${formatProblem(w, locale)}\n`);
}

async function readBytes(files: CliFiles, path: string, io: CliIo, maxBytes: number): Promise<Buffer | number> {
  try {
    const info = await files.stat(path);
    if (info.directory) return fail(io, `cannot read ${path}: it is a directory`);
    if (info.size > maxBytes)
      return fail(
        io,
        `cannot import ${path}: it is ${(info.size / 1024 / 1024).toFixed(1)} MB, more than the ${maxBytes / 1024 / 1024} MB allowed`,
      );
    return await files.read(path);
  } catch (e) {
    return fail(io, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export type ImportCommandOptions = { dryRun: boolean; now: Date; locale: Locale; dataFile: string };

/**
 * `duban import FILE [--dry-run]`: a JSON import file, an .xlsx or a .csv (told apart by content),
 * validated in full against the store; nothing is written unless the whole file is valid.
 */
export async function importCommand(
  ports: ImportPorts,
  path: string,
  options: ImportCommandOptions,
  io: CliIo,
): Promise<number> {
  const { locale, now } = options;
  const { store } = ports;
  const bytes = await readBytes(ports.files, path, io, MAX_UPLOAD_BYTES);
  if (typeof bytes === 'number') return bytes;
  const label = basename(path);
  let file: ImportFile;
  let warnings: SheetProblem[] = [];
  if (looksLikeJson(bytes)) {
    // duban's own format, reported as before (by path in the document); throws DataFileError.
    file = await ports.readJson(path);
  } else {
    // In a worker thread: a workbook too large to read is refused like any bad file, not a crash.
    const read = await readSpreadsheetIsolated(bytes, label, readOptionsFor(store.model(), now));
    writeWarnings(io, read.warnings, locale);
    if (!read.ok) return reportProblems(io, label, read.problems, locale);
    file = read.file;
    warnings = read.warnings;
  }
  const preview = await previewParsed(store, ports.importer, file, label, now, warnings);
  if (!preview.ok) return reportProblems(io, label, preview.problems, locale);
  const zoneLine = preview.zone ? `\n  ${'zone'.padEnd(12)} ${preview.zone.before.zh} → ${preview.zone.after.zh}` : '';
  if (options.dryRun) {
    io.out.write(
      `Dry run: nothing written. Would import ${path} into ${options.dataFile}:\n${summaryText(preview.summary, detailOf(preview, store.model(), locale))}${zoneLine}\n`,
    );
    return 0;
  }
  if (preview.unchanged) {
    io.out.write(
      `Nothing to import: ${options.dataFile} already has everything in ${path}; nothing written.\n${summaryText(preview.summary)}\n`,
    );
    return 0;
  }
  const applied = await ports.importer(file, label, { now, by: 'import' });
  if (!applied.ok) return reportProblems(io, label, fileProblems(label, applied.problems), locale);
  io.out.write(`Imported ${path} into ${options.dataFile}:\n${summaryText(applied.summary)}${zoneLine}\n`);
  return 0;
}

function detailOf(p: Preview, model: ReadModel, locale: Locale) {
  return { changes: p.changes, file: p.file, model, locale };
}

function reportProblems(io: CliIo, label: string, problems: readonly SheetProblem[], locale: Locale): number {
  io.err.write(`${messages(locale).sheetImport.cannotImport(label, problems.length)}\n`);
  for (const p of problems) io.err.write(`  ${formatProblem(p, locale)}\n`);
  return 1;
}

/** Writes bytes to `path` ("-" is stdout), refusing to replace a file unless `force`. */
async function writeOutput(
  files: CliFiles,
  path: string,
  data: Buffer | string,
  force: boolean,
  io: CliIo,
): Promise<number | undefined> {
  if (path === '-') {
    io.out.write(data);
    return undefined;
  }
  try {
    await files.write(path, data, !force);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return fail(io, `${path} already exists; use --force to replace it, or give another path`);
    return fail(io, `cannot write ${path}: ${code ?? (e as Error).message}`);
  }
  return undefined;
}

export type TemplateCommandOptions = { force: boolean; locale: Locale; zone?: string };

/**
 * `duban template [PATH] [--force] [--zone NAME]`: the empty import template, its example rows marked
 * to be skipped on import, the zone's name on its 基本信息 sheet when given, and a 说明 sheet.
 */
export async function templateCommand(
  files: CliFiles,
  path: string,
  options: TemplateCommandOptions,
  io: CliIo,
): Promise<number> {
  const zone = options.zone?.trim();
  if (options.zone !== undefined && !zone)
    return fail(io, '--zone: give the zone’s name, e.g. --zone "某某经济开发区"');
  if (zone && [...zone].length > 200)
    return fail(io, `--zone: at most 200 characters, got ${[...zone].length} (e.g. --zone "某某经济开发区")`);
  // Loaded here: `duban import` reads in a worker and need not hold exceljs in this thread.
  const { writeTemplate } = await import('./write-template.ts');
  const failed = await writeOutput(
    files,
    path,
    await writeTemplate({ locale: options.locale, ...(zone ? { zone: { zh: zone } } : {}) }),
    options.force,
    io,
  );
  if (failed !== undefined) return failed;
  if (path !== '-') io.out.write(messages(options.locale).sheetImport.templateWritten(path, zone));
  return 0;
}

export type ExportCommandOptions = {
  department?: string;
  out?: string;
  bulletin: boolean;
  markdown: boolean;
  force: boolean;
  locale: Locale;
  now: Date;
  /** Draws the bulletin's charts; a renderer is started (and stopped) for the export when not given. */
  charts?: ChartPort;
};

/** `duban export [--department X] [--out PATH] [--bulletin] [--markdown]`: the 台账 ledger, or the bulletin. */
export async function exportCommand(
  store: StoreView,
  files: CliFiles,
  options: ExportCommandOptions,
  io: CliIo,
): Promise<number> {
  const model = store.model();
  const today = localDate(options.now, model.timeZone);
  const bulletin = options.bulletin || options.markdown;
  if (model.db.departments.length === 0)
    return fail(
      io,
      'the store is empty: there is nothing to export yet (import data first, e.g. npx duban import duban-template.xlsx)',
    );
  if (bulletin && options.department)
    return fail(io, '--department is for the ledger; the bulletin always covers the whole zone');

  if (bulletin) {
    const out = options.out ?? (options.markdown ? '-' : `duban-bulletin-${today}.xlsx`);
    // Charts go in the workbook, and beside a Markdown file (x.md → x-ranking.png, x-projects.png);
    // Markdown on stdout has nowhere to put them, so it goes without.
    const base = out.replace(/\.(md|markdown)$/i, '');
    const withCharts = !(options.markdown && out === '-');
    const charts = withCharts
      ? (options.charts ?? (await import('../charts/renderer.ts')).createChartRenderer())
      : undefined;
    let result: Awaited<ReturnType<typeof exportBulletin>>;
    try {
      result = await exportBulletin(model, today, options.locale, undefined, undefined, charts, (chart) =>
        basename(`${base}-${chart.kind}.png`),
      );
    } finally {
      if (charts && !options.charts) await charts.close();
    }
    const { xlsx, markdown } = result;
    // The bulletin's figures are whole without a picture: say which one is missing, and go on.
    for (const { kind, error } of result.missingCharts)
      io.err.write(
        `note: the ${kind} chart could not be drawn (${(error as Error)?.message ?? String(error)}); the bulletin is written without it.\n`,
      );
    const failed = await writeOutput(files, out, options.markdown ? markdown : xlsx, options.force, io);
    if (failed !== undefined) return failed;
    const written = [out];
    if (options.markdown)
      for (const chart of result.charts) {
        const path = join(dirname(out), chart.file);
        const failedChart = await writeOutput(files, path, chart.image.png, options.force, io);
        if (failedChart !== undefined) return failedChart;
        written.push(path);
      }
    if (out !== '-') io.out.write(`Wrote the bulletin as of ${today} to ${written.join(', ')}.\n`);
    return 0;
  }

  let departmentId: string | undefined;
  if (options.department !== undefined) {
    const match = matchDepartment(model.db.departments, options.department);
    const list = (ds: ReadonlyArray<{ shortName: { zh?: string }; name: { zh: string } }>) =>
      ds.map((d) => d.shortName.zh ?? d.name.zh).join(', ');
    if (match.kind === 'many')
      return fail(
        io,
        `--department "${options.department}" matches several departments: ${list(match.departments)}; be more specific`,
      );
    if (match.kind === 'none') {
      const hint =
        match.suggestions.length > 0
          ? `did you mean ${list(match.suggestions)}?`
          : `known: ${list(model.db.departments)}`;
      return fail(io, `--department "${options.department}": no such department; ${hint}`);
    }
    departmentId = match.department.id;
  }
  const bytes = await exportLedger(store, today, options.locale, departmentId);
  const out = options.out ?? `duban-ledger-${departmentId ? `${safeFileName(departmentId)}-` : ''}${today}.xlsx`;
  const failed = await writeOutput(files, out, bytes, options.force, io);
  if (failed !== undefined) return failed;
  if (out !== '-') {
    const d = departmentId ? model.department(departmentId) : undefined;
    io.out.write(
      `Wrote the ledger${d ? ` of ${d.shortName.zh ?? d.name.zh}` : ''} as of ${today} to ${out}. Edit its definition sheets and import it back with: npx duban import ${out} --dry-run\n`,
    );
  }
  return 0;
}
