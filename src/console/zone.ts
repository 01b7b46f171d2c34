/**
 * The zone the console shows, from whatever file it is given: duban's JSON import format, an .xlsx
 * or .csv in the template's shape, or a data file the bot writes (the document and its journal, read
 * without the lock and never written). Told apart by content. With `until` (`duban demo --now`),
 * reports made after that instant are left out, so the zone looks as it did then.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CalendarData } from '../domain/calendar.ts';
import { mergeImport } from '../domain/merge.ts';
import { createReadModel } from '../domain/read-model.ts';
import { Database, emptyDatabase, type ImportFile, type Text } from '../domain/schema.ts';
import { STATE_VERSION, type StoreState, withSafeRecords } from '../domain/state.ts';
import { type Locale, messages } from '../i18n/index.ts';
import { looksLikeJson, MAX_UPLOAD_BYTES, storeAsOf } from '../spreadsheet/exchange.ts';
import { readSpreadsheetIsolated } from '../spreadsheet/isolated.ts';
import { formatProblem } from '../spreadsheet/problems.ts';
import { checkMerged, readImportFile } from '../store/import.ts';
import { JournalFiles } from '../store/journal-files.ts';
import { journalDirOf, loadState } from '../store/store.ts';

/** Where the console's zone came from: the bundled sample, an import file, or the bot's data file. */
export type ZoneKind = 'sample' | 'import' | 'store';

export type ConsoleZone = {
  state: StoreState;
  zone: Text;
  kind: ZoneKind;
};

/** A file the console cannot show: the message says why and what to do, in the console's language. */
export class ZoneFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZoneFileError';
  }
}

export type LoadZoneOptions = {
  timeZone: string;
  locale: Locale;
  calendar: CalendarData;
  /** The bundled sample rather than a file of the zone's own (said so in the banner). */
  sample?: boolean;
  /** Leave out reports made after this instant. */
  until?: Date;
  /** How the file was named, for messages: "--data" or "DATA_FILE". */
  via: '--data' | 'DATA_FILE';
};

/** Reads `file` as the zone to show; throws ZoneFileError (or the store's DataFileError) when it cannot. */
export async function loadConsoleZone(file: string, options: LoadZoneOptions): Promise<ConsoleZone> {
  const m = messages(options.locale).console;
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new ZoneFileError(m.zoneIsDirectory(options.via, file));
    if (info.size > MAX_UPLOAD_BYTES)
      throw new ZoneFileError(
        m.zoneTooLarge(options.via, file, Math.ceil(info.size / 1024 / 1024), MAX_UPLOAD_BYTES / 1024 / 1024),
      );
    bytes = await readFile(file);
  } catch (e) {
    if (e instanceof ZoneFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ZoneFileError(
      code === 'ENOENT'
        ? m.zoneMissing(options.via, file)
        : m.zoneUnreadable(options.via, file, code ?? (e as Error).message),
    );
  }
  const zone =
    looksLikeJson(bytes) && isStoreDocument(bytes)
      ? await fromStore(file, options)
      : await fromImport(file, bytes, options);
  if (zone.state.departments.length === 0) throw new ZoneFileError(m.zoneEmpty(options.via, file));
  return zone;
}

/** The bot's data file (version 2, with a journal) rather than an import file. */
function isStoreDocument(bytes: Buffer): boolean {
  try {
    const raw = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as { version?: unknown };
    return raw?.version === STATE_VERSION;
  } catch {
    return false;
  }
}

async function fromStore(file: string, options: LoadZoneOptions): Promise<ConsoleZone> {
  const { state } = await loadState(file, options.timeZone);
  const zone = { state, zone: state.meta.zone, kind: 'store' as const };
  if (!options.until) return zone;
  // The journal up to the document's watermark: what a concurrent write appended past it is not the store's yet.
  const events = (await new JournalFiles(journalDirOf(file)).readAll(state.journal.chunks.map((c) => c.name))).filter(
    (e) => e.seq <= state.journal.lastSeq,
  );
  const then = storeAsOf(state, events, options.until, options.timeZone);
  return then.state === state ? zone : { ...zone, state: withSafeRecords(then.state) };
}

async function fromImport(file: string, bytes: Buffer, options: LoadZoneOptions): Promise<ConsoleZone> {
  let parsed: ImportFile;
  if (looksLikeJson(bytes)) {
    parsed = await readImportFile(file);
  } else {
    const read = await readSpreadsheetIsolated(bytes, basename(file), {});
    if (!read.ok) {
      const lines = read.problems.map((p) => `  ${formatProblem(p, options.locale)}`);
      throw new ZoneFileError(
        `${messages(options.locale).console.zoneProblems(options.via, file, read.problems.length)}\n${lines.join('\n')}`,
      );
    }
    parsed = read.file;
  }
  const db = emptyDatabase();
  mergeImport(db, parsed);
  checkMerged(file, db, db.updates);
  if (options.until) {
    const until = options.until.getTime();
    db.updates = db.updates.filter((u) => Date.parse(u.at) <= until);
  }
  const model = createReadModel(Database.parse(db), options.timeZone, 0, options.calendar);
  return { state: model.db as StoreState, zone: model.db.meta.zone, kind: options.sample ? 'sample' : 'import' };
}
