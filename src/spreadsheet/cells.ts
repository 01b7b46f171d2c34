/**
 * Cell values: what exceljs hands us (numbers, dates, rich text, formulas with or without a cached
 * result, errors) reduced to a few scalar shapes, and the parsers that turn those into the data
 * model's values, each failing with a message that quotes what was found.
 */
import type { CellValue } from 'exceljs';
import { type Bilingual, worded } from './problems.ts';

export type Scalar =
  | { t: 'empty' }
  | { t: 'text'; v: string }
  /** `percent`: the cell is formatted as a percentage, so 0.075 is shown (and meant) as 7.5%. */
  | { t: 'number'; v: number; percent: boolean }
  | { t: 'date'; v: Date }
  | { t: 'bool'; v: boolean };

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: Bilingual };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (f: Parameters<typeof worded>[0]): { ok: false; message: Bilingual } => ({
  ok: false,
  message: worded(f),
});

/** Excel refuses to hold more than this many characters in a cell; anything longer was not typed in Excel. */
export const EXCEL_MAX_CELL_CHARS = 32_767;

export const EMPTY: Scalar = { t: 'empty' };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** A cell's value as a scalar, plus the hyperlink it carries, if any. */
export function readCellValue(value: CellValue, numFmt: string | undefined): Parsed<{ scalar: Scalar; link?: string }> {
  if (value === null || value === undefined) return ok({ scalar: EMPTY });
  if (typeof value === 'string') return textScalar(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail((m) => m.invalidNumber);
    return ok({ scalar: { t: 'number', v: value, percent: !!numFmt && numFmt.includes('%') } });
  }
  if (typeof value === 'boolean') return ok({ scalar: { t: 'bool', v: value } });
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return fail((m) => m.invalidDate);
    return ok({ scalar: { t: 'date', v: value } });
  }
  if (!isObject(value)) return fail((m) => m.unrecognisedCell);
  if ('error' in value) return fail((m) => m.cellError(String(value.error)));
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = String(value.formula ?? value.sharedFormula ?? '');
    const result = value.result as CellValue | undefined;
    if (result === undefined || result === null) {
      return fail((m) => m.formulaWithoutResult(formula));
    }
    if (isObject(result) && 'error' in result) {
      return fail((m) => m.formulaError(formula, String(result.error)));
    }
    return readCellValue(result, numFmt);
  }
  if ('richText' in value && Array.isArray(value.richText)) {
    return textScalar(
      value.richText.map((r: { text?: unknown }) => (typeof r.text === 'string' ? r.text : '')).join(''),
    );
  }
  if ('hyperlink' in value) {
    const text = value.text;
    const shown =
      typeof text === 'string'
        ? text
        : isObject(text) && Array.isArray(text.richText)
          ? text.richText.map((r: { text?: string }) => r.text ?? '').join('')
          : '';
    const r = textScalar(shown);
    if (!r.ok) return r;
    const link = typeof value.hyperlink === 'string' ? value.hyperlink : undefined;
    return ok(link ? { scalar: r.value.scalar, link } : r.value);
  }
  return fail((m) => m.unrecognisedCell);
}

function textScalar(raw: string): Parsed<{ scalar: Scalar }> {
  if (raw.length > EXCEL_MAX_CELL_CHARS) {
    return fail((m) => m.cellTooLong(raw.length, EXCEL_MAX_CELL_CHARS));
  }
  const v = raw.trim();
  return ok({ scalar: v === '' ? EMPTY : { t: 'text', v } });
}

/** How a scalar reads as text in a message. */
export function shown(s: Scalar): string {
  switch (s.t) {
    case 'empty':
      return '';
    case 'text':
      return s.v;
    case 'number':
      return String(s.v);
    case 'date':
      return s.v.toISOString().slice(0, 10);
    case 'bool':
      return s.v ? 'TRUE' : 'FALSE';
  }
}

export function toText(s: Scalar): string {
  if (s.t === 'number') return String(s.v);
  return shown(s);
}

/** Rounds away binary noise so that 0.075 formatted as percent reads as exactly 7.5. */
export function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

export type NumberRead = { value: number; percent: boolean; comparator?: 'atLeast' | 'atMost' };

const COMPARATOR_PREFIX: ReadonlyArray<[RegExp, 'atLeast' | 'atMost']> = [
  [/^(≥|>=|＞=|不低于|不少于|至少)/, 'atLeast'],
  [/^(≤|<=|＜=|不高于|不超过|至多)/, 'atMost'],
];

/**
 * A number: a numeric cell (×100 when formatted as a percentage), or text such as "7.5", "7.5%",
 * "1,234", "７.５" (full width). With `comparator`, a leading ≥/≤ (or 不低于/不高于) is read too.
 */
export function parseNumber(s: Scalar, options: { comparator?: boolean } = {}): Parsed<NumberRead> {
  if (s.t === 'number')
    return ok(s.percent ? { value: tidy(s.v * 100), percent: true } : { value: s.v, percent: false });
  if (s.t !== 'text') return fail((m, q) => m.notNumber(q(shown(s))));
  let text = s.v.normalize('NFKC').replace(/\s+/g, '');
  let comparator: 'atLeast' | 'atMost' | undefined;
  if (options.comparator) {
    for (const [re, c] of COMPARATOR_PREFIX) {
      const m = re.exec(text);
      if (m) {
        comparator = c;
        text = text.slice(m[0].length);
        break;
      }
    }
    // "7.5%以上" / "3以下" say the same as a prefix.
    const suffix = /(以上|以下)$/.exec(text);
    if (suffix && !comparator) {
      comparator = suffix[1] === '以上' ? 'atLeast' : 'atMost';
      text = text.slice(0, -2);
    }
  }
  const percent = text.endsWith('%');
  if (percent) text = text.slice(0, -1);
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, '');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return fail((m, q) => m.notNumber(q(s.v)));
  const value = Number(text);
  if (!Number.isFinite(value)) return fail((m, q) => m.notNumber(q(s.v)));
  const out: NumberRead = { value, percent };
  if (comparator) out.comparator = comparator;
  return ok(out);
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function isoOf(y: number, m: number, d: number): string | undefined {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

const DATE_PATTERNS: readonly RegExp[] = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

/** Serial day numbers Excel uses for dates, within the range we accept (1954–2119). */
function fromSerial(serial: number): string | undefined {
  if (!Number.isInteger(serial) || serial < 20_000 || serial > 80_000) return undefined;
  return new Date(EXCEL_EPOCH_MS + serial * DAY_MS).toISOString().slice(0, 10);
}

/**
 * A calendar date as YYYY-MM-DD: a date cell, an Excel serial number (46112), or text
 * "2026-03-31", "2026/3/31", "2026.3.31", "2026年3月31日", "20260331".
 */
export function parseDate(s: Scalar): Parsed<string> {
  const bad = () => fail((m, q) => m.notDate(q(shown(s))));
  if (s.t === 'date') return ok(s.v.toISOString().slice(0, 10));
  if (s.t === 'number') {
    const d = fromSerial(s.v);
    return d ? ok(d) : bad();
  }
  if (s.t !== 'text') return bad();
  const text = s.v.normalize('NFKC').replace(/\s+/g, '');
  for (const re of DATE_PATTERNS) {
    const m = re.exec(text);
    if (m) {
      const d = isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
      return d ? ok(d) : fail((m, q) => m.noSuchDate(q(s.v)));
    }
  }
  return bad();
}

const OFFSET = /^[+-]\d{2}:\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant as ISO 8601 with an offset. ISO text is kept exactly as written; a date-time without
 * an offset ("2026-03-31 17:00", or a date-time cell) is read in `utcOffset`; a bare date is taken
 * as 12:00 that day, which stays on the same civil date in any zone within 12 hours of `utcOffset`.
 */
export function parseDateTime(s: Scalar, utcOffset: string): Parsed<string> {
  if (!OFFSET.test(utcOffset)) throw new Error(`utcOffset must look like +08:00, got ${utcOffset}`);
  const bad = () => fail((m, q) => m.notTime(q(shown(s))));
  if (s.t === 'date') {
    // exceljs reads Excel's zone-less wall clock as if it were UTC.
    const iso = s.v.toISOString();
    const wall = iso.slice(11, 19);
    return ok(`${iso.slice(0, 10)}T${wall === '00:00:00' ? '12:00:00' : wall}${utcOffset}`);
  }
  if (s.t === 'number' && s.v >= 20_000 && s.v < 80_000) {
    const ms = EXCEL_EPOCH_MS + Math.round((s.v * DAY_MS) / 1000) * 1000;
    return parseDateTime({ t: 'date', v: new Date(ms) }, utcOffset);
  }
  if (s.t !== 'text') return bad();
  const text = s.v.normalize('NFKC').trim();
  if (ISO_INSTANT.test(text)) {
    const t = Date.parse(text);
    if (Number.isNaN(t)) return bad();
    const date = isoOf(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)));
    if (!date) return bad();
    return ok(text);
  }
  const m = /^(.+?)[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (m) {
    const d = parseDate({ t: 'text', v: m[1]! });
    const h = Number(m[2]);
    const min = Number(m[3]);
    const sec = Number(m[4] ?? 0);
    if (!d.ok || h > 23 || min > 59 || sec > 59) return bad();
    const pad = (n: number) => String(n).padStart(2, '0');
    return ok(`${d.value}T${pad(h)}:${pad(min)}:${pad(sec)}${utcOffset}`);
  }
  const d = parseDate(s);
  return d.ok ? ok(`${d.value}T12:00:00${utcOffset}`) : bad();
}

const TRUE_WORDS = new Set(['是', '√', '✓', 'y', 'yes', 'true', '1', '示例', 'sample']);
const FALSE_WORDS = new Set(['否', '×', '✗', 'n', 'no', 'false', '0']);

export function parseBool(s: Scalar): Parsed<boolean> {
  if (s.t === 'bool') return ok(s.v);
  const text = toText(s).normalize('NFKC').trim().toLowerCase();
  if (TRUE_WORDS.has(text)) return ok(true);
  if (FALSE_WORDS.has(text)) return ok(false);
  return fail((m, q) => m.yesOrNo(q(shown(s))));
}

/** Reads one of a fixed set of words (Chinese or English), e.g. 累计/cumulative. */
export function parseChoice<T extends string>(
  s: Scalar,
  table: ReadonlyArray<readonly [T, readonly string[]]>,
  shownChoices: Bilingual,
): Parsed<T> {
  const text = toText(s)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  for (const [value, words] of table) {
    if (
      value.toLowerCase() === text ||
      words.some(
        (w) =>
          w
            .normalize('NFKC')
            .toLowerCase()
            .replace(/[\s_-]/g, '') === text,
      )
    )
      return ok(value);
  }
  return fail((m, q, lang) => m.oneOf(shownChoices[lang], q(shown(s))));
}

/** Text lists: line breaks, or when there are none, "；" ";" "、" and "，". */
export function splitTextList(text: string): string[] {
  const parts = text.includes('\n') ? text.split(/\r?\n/) : text.split(/[；;、，]/);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Id lists (ids cannot hold these): line breaks, spaces, commas of either width, ";" "；" "、". */
export function splitIdList(text: string): string[] {
  return text
    .split(/[\s,，;；、]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Item references may be names with spaces or commas, so only line breaks and semicolons separate them. */
export function splitRefList(text: string): string[] {
  return text
    .split(/\r?\n|[;；]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Writes a text list so that `splitTextList` gives it back exactly. */
export function joinTextList(items: readonly string[]): string {
  if (items.some((i) => /[；;、，]/.test(i))) return items.length === 1 ? `${items[0]}\n` : items.join('\n');
  return items.join('；');
}

/**
 * "2026-03-31 15%；2026-06-30 45%" (or one per line; "2026-03-31:0.15", "2026/3/31 15%") as
 * [{date, share}], share as a fraction.
 */
export function parseCheckpoints(s: Scalar): Parsed<Array<{ date: string; share: number }>> {
  const text = toText(s);
  const out: Array<{ date: string; share: number }> = [];
  for (const part of text
    .split(/\r?\n|[;；,，]/)
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^(.+?)\s*[:：=\s]\s*([-+]?[\d.]+\s*%?)$/.exec(part.normalize('NFKC'));
    const bad = fail((m, q) => m.checkpointForm(q(part)));
    if (!m) return bad;
    const date = parseDate({ t: 'text', v: m[1]! });
    if (!date.ok) return bad;
    const raw = m[2]!.replace(/\s+/g, '');
    const n = Number(raw.replace('%', ''));
    if (!Number.isFinite(n)) return bad;
    out.push({ date: date.value, share: raw.endsWith('%') ? tidy(n / 100) : n });
  }
  return ok(out);
}

/** The inverse of `parseCheckpoints`, exact for every share (falls back to the fraction when a percentage would not read back identically). */
export function formatCheckpoints(checkpoints: ReadonlyArray<{ date: string; share: number }>): string {
  return checkpoints
    .map((c) => {
      const pct = tidy(c.share * 100);
      return `${c.date} ${tidy(pct / 100) === c.share ? `${pct}%` : String(c.share)}`;
    })
    .join('\n');
}

export type EvidenceLink = { kind: 'file' | 'link'; url: string; name?: string; fileId?: string };

const URL_IN_LINE = /(https?:\/\/\S+?)(?:\s+\((F[A-Z0-9]{2,})\))?\s*$/;

/**
 * 佐证材料: one link per line, "name url", "url", or "name url (F0123ABC)" for a Slack file. A cell
 * that is itself a hyperlink without a URL in its text is one link named by its text.
 */
export function parseEvidence(text: string, hyperlink: string | undefined): EvidenceLink[] {
  const out: EvidenceLink[] = [];
  for (const line of text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')) {
    const m = URL_IN_LINE.exec(line);
    if (!m) {
      // No URL on the line: only meaningful as the text of a hyperlinked cell.
      if (hyperlink && out.length === 0) out.push({ kind: 'link', url: hyperlink, name: line });
      else out.push({ kind: 'link', url: line });
      continue;
    }
    const e: EvidenceLink = { kind: m[2] ? 'file' : 'link', url: m[1]! };
    const name = line.slice(0, m.index).trim();
    if (name) e.name = name;
    if (m[2]) e.fileId = m[2];
    out.push(e);
  }
  return out;
}

/** The inverse of `parseEvidence`. */
export function formatEvidence(list: readonly EvidenceLink[]): string {
  return list.map((e) => `${e.name ? `${e.name} ` : ''}${e.url}${e.fileId ? ` (${e.fileId})` : ''}`).join('\n');
}
