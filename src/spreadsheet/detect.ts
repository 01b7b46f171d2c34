/**
 * What a file is, by its bytes rather than its name: an .xlsx (a zip), an old .xls or encrypted
 * workbook (an OLE2 container), something else binary, or CSV text in UTF-8 (with or without a
 * BOM), UTF-16 (Excel's "Unicode text") or GBK/GB18030 (Chinese Excel's default "CSV").
 */
import iconv from 'iconv-lite';
import { type Bilingual, type ProblemWords, worded } from './problems.ts';

export type Detected =
  | { format: 'xlsx' }
  | { format: 'csv'; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030'; delimiter: string }
  | { format: 'refused'; message: Bilingual };

const SIGNATURES: ReadonlyArray<{ bytes: readonly number[]; what: keyof ProblemWords['fileKind'] }> = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'pdf' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'png' },
  { bytes: [0xff, 0xd8, 0xff], what: 'jpeg' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'gif' },
  { bytes: [0x1f, 0x8b], what: 'gzip' },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'rar' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'sevenZip' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'executable' },
  { bytes: [0x4d, 0x5a], what: 'executable' },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function refuse(f: (m: ProblemWords) => string): Detected {
  return { format: 'refused', message: worded(f) };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Share of characters that have no business in a spreadsheet's text: controls other than tab and line breaks, and U+FFFD. */
function junkShare(text: string): number {
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  if (sample.length === 0) return 0;
  let junk = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f || c === 0xfffd) junk++;
  }
  return junk / sample.length;
}

/** The delimiter of the first record: the most frequent of comma, tab and semicolon outside quotes (comma when none). */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    ['\t', 0],
    [';', 0],
  ]);
  let quoted = false;
  for (const ch of text.slice(0, 8192)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

export function detectFormat(bytes: Uint8Array): Detected {
  if (bytes.length === 0) return refuse((m) => m.emptyFile);
  if (startsWith(bytes, ZIP) || startsWith(bytes, EMPTY_ZIP)) return { format: 'xlsx' };
  if (startsWith(bytes, OLE2)) {
    return refuse((m) => m.oldExcel);
  }
  for (const s of SIGNATURES) {
    if (startsWith(bytes, s.bytes)) {
      return refuse((m) => m.notSpreadsheet(m.fileKind[s.what]));
    }
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';
  if (startsWith(bytes, [0xff, 0xfe])) {
    text = iconv.decode(buffer.subarray(2), 'utf-16le');
    encoding = 'utf-16le';
  } else if (startsWith(bytes, [0xfe, 0xff])) {
    text = iconv.decode(buffer.subarray(2), 'utf-16be');
    encoding = 'utf-16be';
  } else {
    const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
    try {
      text = utf8.decode(body);
      encoding = 'utf-8';
    } catch {
      // Not UTF-8: Chinese Excel saves "CSV" in the ANSI code page, GBK; GB18030 is its superset.
      text = iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), 'gb18030');
      encoding = 'gb18030';
    }
  }
  if (text.includes('\u0000') || junkShare(text) > 0.01) {
    return refuse((m) => m.binary);
  }
  return { format: 'csv', text, encoding, delimiter: sniffDelimiter(text) };
}
