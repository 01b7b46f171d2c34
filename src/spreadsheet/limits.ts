/**
 * Bounds on what an import file may make duban do, checked before exceljs sees the file. exceljs
 * holds the whole workbook in memory and expands some ranges cell by cell (a merge, a data
 * validation), so a 1.6 KB merge over a whole sheet, or a 1 MB archive that unpacks to 300 MB of
 * rows, would take the process down. Here, in order:
 *
 * 1. the zip's directory: number of parts, declared unpacked sizes (per part and in all), and how
 *    much a large part claims to grow;
 * 2. every part actually inflated, never past its declared size (see zip.ts);
 * 3. every worksheet scanned for its rows and cells (row and column numbers within Excel's), its
 *    merged ranges (each one's size and how many), the shared strings counted;
 * 4. what exceljs needs rewritten: data validations dropped (the reader never uses them, and
 *    exceljs lists every cell of their ranges) and merges over the limits removed once reported.
 *
 * Limits of the size of the file itself (20 MB) and of its data rows are the reader's own.
 */
import { type Catalogue, formatNumber, type Locale, messages } from '../i18n/index.ts';
import type { Bilingual } from './problems.ts';
import { readDirectory, storedZip, unpackEntry, type ZipEntry } from './zip.ts';

export type WorkbookLimits = {
  /** Parts in the zip (an Excel workbook has a few dozen). */
  maxEntries: number;
  /** All parts unpacked. */
  maxUnpackedBytes: number;
  /** One part unpacked (a worksheet's XML). */
  maxEntryBytes: number;
  /** How many times its compressed size a part over 10 MiB may unpack to. */
  maxRatio: number;
  /** Rows in all sheets (headers and empty rows included), or records of a CSV. */
  maxRows: number;
  /** Cells in all sheets, cells covered by merges included, or fields of a CSV. */
  maxCells: number;
  /** Merged ranges in one sheet. */
  maxMerges: number;
  /** Cells one merged range may cover. */
  maxMergeCells: number;
};

const MiB = 1024 * 1024;

export const WORKBOOK_LIMITS: Readonly<WorkbookLimits> = Object.freeze({
  maxEntries: 2_000,
  maxUnpackedBytes: 50 * MiB,
  maxEntryBytes: 40 * MiB,
  maxRatio: 200,
  maxRows: 50_000,
  maxCells: 200_000,
  maxMerges: 1_000,
  maxMergeCells: 10_000,
});

const RATIO_FLOOR = 10 * MiB;
const EXCEL_ROWS = 1_048_576;
const EXCEL_COLUMNS = 16_384;

/** A problem found here: on the file (no sheet) or on a sheet, with the row when there is one. */
export type LimitProblem = { sheet?: string; row?: number; message: Bilingual };

export type Guarded =
  | { ok: true; zip: Buffer; problems: LimitProblem[] }
  | { ok: false; problems: LimitProblem[]; damaged?: undefined }
  | { ok: false; problems?: undefined; damaged: string };

type Words = Catalogue['importLimits'];

/** Both languages of a message from the catalogues; numbers grouped as each language writes them. */
export function worded(say: (w: Words, n: (x: number, digits?: number) => string) => string): Bilingual {
  const one = (locale: Locale) =>
    say(messages(locale).importLimits, (x, digits = 0) => formatNumber(x, locale, digits));
  return { zh: one('zh-CN'), en: one('en') };
}

const mb = (n: (x: number, digits?: number) => string, bytes: number) => n(Math.round((bytes / MiB) * 10) / 10, 1);

// ---------------------------------------------------------------------------------------------
// Scanning XML as bytes: start tags by local name (any prefix), and their `r` attribute.

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const COLON = 0x3a;
const EQUALS = 0x3d;

function isNameByte(b: number): boolean {
  return (
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x5f ||
    b === 0x2d ||
    b === 0x2e ||
    b === COLON ||
    b > 0x7f
  );
}

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** The value of the unprefixed attribute `r` of the tag whose attributes start at `at`. */
function attributeR(xml: Buffer, at: number): string | undefined {
  const n = xml.length;
  while (at < n) {
    const b = xml[at]!;
    if (b === GT || b === SLASH) return undefined;
    if (isSpace(b)) {
      at++;
      continue;
    }
    const start = at;
    while (at < n && isNameByte(xml[at]!)) at++;
    if (at === start) return undefined;
    const isR = at - start === 1 && xml[start] === 0x72;
    while (isSpace(xml[at])) at++;
    if (xml[at] !== EQUALS) return undefined;
    at++;
    while (isSpace(xml[at])) at++;
    const quote = xml[at];
    if (quote !== 0x22 && quote !== 0x27) return undefined;
    const end = xml.indexOf(quote, at + 1);
    if (end < 0) return undefined;
    if (isR) return xml.toString('latin1', at + 1, end);
    at = end + 1;
  }
  return undefined;
}

function columnNumber(letters: string): number {
  let col = 0;
  for (const ch of letters.toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return col;
}

function cellInRange(address: string): boolean {
  const m = /^\$?([A-Za-z]+)\$?(\d+)$/.exec(address);
  if (!m) return true; // not an address exceljs can place; it refuses it itself
  return m[1]!.length <= 3 && columnNumber(m[1]!) <= EXCEL_COLUMNS && Number(m[2]) <= EXCEL_ROWS;
}

type Scan = { rows: number; cells: number; strings: number; outOfRange: boolean };

/** Counts rows, cells and shared strings, and checks that every row and cell is inside Excel's grid. */
export function scanXml(xml: Buffer): Scan {
  const scan: Scan = { rows: 0, cells: 0, strings: 0, outOfRange: false };
  const n = xml.length;
  for (let i = 0; i < n; i++) {
    if (xml[i] !== LT) continue;
    let j = i + 1;
    let local = j;
    while (j < n && isNameByte(xml[j]!)) {
      if (xml[j] === COLON) local = j + 1;
      j++;
    }
    const length = j - local;
    if (length === 3 && xml[local] === 0x72 && xml[local + 1] === 0x6f && xml[local + 2] === 0x77) {
      scan.rows++;
      if (!scan.outOfRange) {
        const r = attributeR(xml, j);
        if (r !== undefined && Number.parseInt(r, 10) > EXCEL_ROWS) scan.outOfRange = true;
      }
    } else if (length === 1 && xml[local] === 0x63) {
      scan.cells++;
      if (!scan.outOfRange) {
        const r = attributeR(xml, j);
        if (r !== undefined && !cellInRange(r)) scan.outOfRange = true;
      }
    } else if (length === 2 && xml[local] === 0x73 && xml[local + 1] === 0x69) {
      scan.strings++;
    }
    i = j - 1;
  }
  return scan;
}

// ---------------------------------------------------------------------------------------------
// A worksheet's parts outside its rows: merges, validations, column ranges.

type Merge = { ref: string; from: { row: number; col: number }; cells: number; element: string };

const MERGE = /<mergeCell\b[^>]*?(?:\/>|>[\s\S]*?<\/mergeCell>)/g;
const VALIDATIONS = /<dataValidations\b[^>]*?(?:\/>|>[\s\S]*?<\/dataValidations>)/g;
const COLUMN = /<col\b[^>]*>/g;

function attribute(element: string, name: string): string | undefined {
  return new RegExp(`\\s${name}\\s*=\\s*(["'])(.*?)\\1`).exec(element)?.[2];
}

function decodeCell(address: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]+)\$?(\d+)$/.exec(address.trim());
  return m ? { row: Number(m[2]), col: columnNumber(m[1]!) } : undefined;
}

function mergesIn(text: string): Merge[] {
  const out: Merge[] = [];
  for (const m of text.matchAll(MERGE)) {
    const ref = attribute(m[0], 'ref') ?? '';
    const [a, b] = ref.split(':');
    const from = a ? decodeCell(a) : undefined;
    const to = b ? decodeCell(b) : from;
    // An address exceljs cannot decode is left for it to refuse.
    if (!from || !to) continue;
    const cells = (Math.abs(to.row - from.row) + 1) * (Math.abs(to.col - from.col) + 1);
    out.push({ ref, from: { row: Math.min(from.row, to.row), col: Math.min(from.col, to.col) }, cells, element: m[0] });
  }
  return out;
}

function columnsOutOfRange(text: string): boolean {
  for (const m of text.matchAll(COLUMN)) {
    for (const name of ['min', 'max']) {
      const v = attribute(m[0], name);
      if (v !== undefined && Number.parseInt(v, 10) > EXCEL_COLUMNS) return true;
    }
  }
  return false;
}

type Sheet = {
  entry: number;
  name: string;
  scan: Scan;
  merges: Merge[];
  outside: { head: string; tail: string; body: [number, number] };
};

/** Splits a worksheet at its (unprefixed) sheetData, the only element exceljs reads rows from. */
function splitSheet(xml: Buffer): { head: string; tail: string; body: [number, number] } | undefined {
  const open = xml.indexOf('<sheetData');
  if (open < 0) return { head: xml.toString('utf8'), tail: '', body: [xml.length, xml.length] };
  const openEnd = xml.indexOf('>', open);
  if (openEnd < 0) return undefined;
  let bodyStart = openEnd + 1;
  let bodyEnd = bodyStart;
  let tailStart = bodyStart;
  if (xml[openEnd - 1] !== SLASH) {
    const close = xml.indexOf('</sheetData>', bodyStart);
    if (close < 0) return undefined;
    bodyEnd = close;
    tailStart = close + '</sheetData>'.length;
  } else bodyStart = bodyEnd = tailStart;
  if (xml.indexOf('<sheetData', tailStart) >= 0) return undefined;
  return { head: xml.toString('utf8', 0, bodyStart), tail: xml.toString('utf8', bodyEnd), body: [bodyStart, bodyEnd] };
}

// ---------------------------------------------------------------------------------------------
// Sheet names, for messages: workbook.xml's sheets through its relationships to their parts.

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return XML_ENTITIES[e.toLowerCase()] ?? '';
  });
}

function sheetNames(workbook: Buffer | undefined, rels: Buffer | undefined): Map<string, string> {
  const names = new Map<string, string>();
  if (!workbook || !rels) return names;
  const targets = new Map<string, string>();
  for (const m of rels.toString('utf8').matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = attribute(m[0], 'Id');
    const target = attribute(m[0], 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  for (const m of workbook.toString('utf8').matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = attribute(m[0], 'name');
    const id = /\s[\w]+:id\s*=\s*(["'])(.*?)\1/.exec(m[0])?.[2];
    const target = id ? targets.get(id) : undefined;
    if (name && target) names.set(target, unescapeXml(name));
  }
  return names;
}

// ---------------------------------------------------------------------------------------------

/** The same test exceljs applies to a part's name to read it as a worksheet. */
const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;

const partName = (entry: ZipEntry) => (entry.name.startsWith('/') ? entry.name.slice(1) : entry.name);

/**
 * Checks an .xlsx against `limits` and returns the archive exceljs should read, or why not. Problems
 * with `ok: true` (merges over the limits, removed) are the file's problems all the same: the file
 * is read on only so that every other problem can be named too.
 */
export function guardWorkbook(bytes: Buffer, limits: WorkbookLimits): Guarded {
  const directory = readDirectory(bytes, limits.maxEntries);
  if (!directory.ok) {
    if (directory.count === undefined) return { ok: false, damaged: directory.reason };
    const count = directory.count;
    return { ok: false, problems: [{ message: worded((w, n) => w.tooManyParts(n(count), n(limits.maxEntries))) }] };
  }
  const entries = directory.entries.filter((e) => !e.name.endsWith('/'));
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(partName(e))) return { ok: false, damaged: `two parts named ${partName(e)}` };
    seen.add(partName(e));
  }

  // 1. What the directory declares.
  const total = entries.reduce((sum, e) => sum + e.size, 0);
  if (total > limits.maxUnpackedBytes) {
    return {
      ok: false,
      problems: [{ message: worded((w, n) => w.unpackedTooLarge(mb(n, total), mb(n, limits.maxUnpackedBytes))) }],
    };
  }
  const byName = new Map(entries.map((e) => [partName(e), e]));
  const smallPart = (name: string) => {
    const e = byName.get(name);
    if (!e || e.size > limits.maxEntryBytes) return undefined;
    const r = unpackEntry(bytes, e);
    return r.ok ? r.data : undefined;
  };
  const names = sheetNames(smallPart('xl/workbook.xml'), smallPart('xl/_rels/workbook.xml.rels'));
  const part = (w: Words, e: ZipEntry) => {
    const sheet = names.get(partName(e));
    return sheet !== undefined ? w.sheetPart(sheet) : w.filePart(partName(e));
  };
  const declared: LimitProblem[] = [];
  for (const e of entries) {
    if (e.size > limits.maxEntryBytes) {
      declared.push({
        message: worded((w, n) => w.partTooLarge(part(w, e), mb(n, e.size), mb(n, limits.maxEntryBytes))),
      });
    } else if (e.size > RATIO_FLOOR && e.size > limits.maxRatio * e.compressedSize) {
      const ratio = e.compressedSize === 0 ? Infinity : e.size / e.compressedSize;
      declared.push({ message: worded((w, n) => w.suspiciousRatio(part(w, e), n(ratio), n(limits.maxRatio))) });
    }
  }
  if (declared.length > 0) return { ok: false, problems: declared };

  // 2. What actually comes out.
  const parts: Array<{ name: string; data: Buffer; crc?: number }> = [];
  for (const e of entries) {
    const r = unpackEntry(bytes, e);
    if (!r.ok) return { ok: false, damaged: r.reason };
    parts.push({ name: e.name, data: r.data, crc: e.crc });
  }

  // 3. Rows, cells, merges.
  const problems: LimitProblem[] = [];
  const sheets: Sheet[] = [];
  let strings = 0;
  let damaged: string | undefined;
  parts.forEach((p, index) => {
    const name = partName(entries[index]!);
    if (name === 'xl/sharedStrings.xml') strings = scanXml(p.data).strings;
    if (!WORKSHEET.test(name)) return;
    const outside = splitSheet(p.data);
    if (!outside) {
      damaged ??= `${name} has its rows in no single sheetData`;
      return;
    }
    const scan = scanXml(p.data);
    if (columnsOutOfRange(outside.head) || columnsOutOfRange(outside.tail)) scan.outOfRange = true;
    sheets.push({
      entry: index,
      name: names.get(name) ?? name,
      scan,
      merges: [...mergesIn(outside.head), ...mergesIn(outside.tail)],
      outside,
    });
  });
  if (damaged !== undefined) return { ok: false, damaged };
  let rows = 0;
  let cells = 0;
  let merged = 0;
  const hard: LimitProblem[] = [];
  for (const s of sheets) {
    rows += s.scan.rows;
    cells += s.scan.cells;
    if (s.scan.outOfRange) hard.push({ sheet: s.name, message: worded((w) => w.outOfRange) });
    const strip: Merge[] = [];
    for (const m of s.merges) {
      if (m.cells <= limits.maxMergeCells) continue;
      strip.push(m);
      problems.push({
        sheet: s.name,
        row: m.from.row,
        message: worded((w, n) => w.mergeTooLarge(m.ref, n(m.cells), n(limits.maxMergeCells))),
      });
    }
    const kept = s.merges.filter((m) => !strip.includes(m));
    if (kept.length > limits.maxMerges) {
      strip.push(...kept);
      problems.push({ sheet: s.name, message: worded((w, n) => w.tooManyMerges(n(kept.length), n(limits.maxMerges))) });
    } else merged += kept.reduce((sum, m) => sum + m.cells, 0);
    // exceljs would list every cell of a validation's range; the reader never looks at them.
    const removed = new Set(strip.map((m) => m.element));
    const rewrite = (text: string) => text.replace(VALIDATIONS, '').replace(MERGE, (el) => (removed.has(el) ? '' : el));
    const head = rewrite(s.outside.head);
    const tail = rewrite(s.outside.tail);
    if (head !== s.outside.head || tail !== s.outside.tail) {
      const data = parts[s.entry]!.data;
      parts[s.entry] = {
        name: parts[s.entry]!.name,
        data: Buffer.concat([Buffer.from(head, 'utf8'), data.subarray(...s.outside.body), Buffer.from(tail, 'utf8')]),
      };
    }
  }
  if (rows > limits.maxRows) hard.push({ message: worded((w, n) => w.tooManyRows(n(rows), n(limits.maxRows))) });
  const values = Math.max(cells + merged, strings);
  if (values > limits.maxCells)
    hard.push({
      message: worded((w, n) =>
        w.tooManyCells(n(values), n(limits.maxCells), merged > 0 && values === cells + merged ? n(merged) : undefined),
      ),
    });
  if (hard.length > 0) return { ok: false, problems: [...hard, ...problems] };
  return { ok: true, zip: storedZip(parts), problems };
}

/** Records and fields of a CSV, quotes respected: the same bounds as a workbook's rows and cells. */
export function guardCsv(text: string, delimiter: string, limits: WorkbookLimits): LimitProblem[] {
  const d = delimiter.charCodeAt(0);
  let records = 0;
  let fields = 0;
  let quoted = false;
  let empty = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (!quoted && (c === 0x0a || c === 0x0d)) {
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      if (!empty) {
        records++;
        fields++;
      }
      empty = true;
      continue;
    } else if (!quoted && c === d) fields++;
    empty = false;
  }
  if (!empty) {
    records++;
    fields++;
  }
  const problems: LimitProblem[] = [];
  if (records > limits.maxRows)
    problems.push({ message: worded((w, n) => w.tooManyRows(n(records), n(limits.maxRows))) });
  if (fields > limits.maxCells)
    problems.push({ message: worded((w, n) => w.tooManyCells(n(fields), n(limits.maxCells), undefined)) });
  return problems;
}
