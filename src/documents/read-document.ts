/**
 * The text of a document sent for intake: a .txt (UTF-8, UTF-16 with a BOM, or GBK as Chinese Windows
 * saves it) or a .docx. A .docx is read with the zip reader written for spreadsheets (src/spreadsheet/zip.ts):
 * it refuses a directory of too many entries and never inflates an entry past its declared size, which a
 * budget here also caps, so a zip bomb cannot exhaust memory. Only word/document.xml is read: its
 * paragraphs become lines, tabs and breaks kept; everything else of the file is ignored.
 */
import iconv from 'iconv-lite';
import { readDirectory, unpackEntry } from '../spreadsheet/zip.ts';

/** The unpacked document.xml may be at most this large. */
export const MAX_DOCUMENT_XML = 20 * 1024 * 1024;
const MAX_ENTRIES = 2000;

export type DocumentText = { ok: true; text: string } | { ok: false; reason: 'unreadable' | 'empty' };

export function isDocumentName(name: string): boolean {
  return /\.(?:docx|txt)$/i.test(name);
}

export function readDocumentText(bytes: Buffer, name: string): DocumentText {
  const text = /\.docx$/i.test(name) ? docxText(bytes) : plainText(bytes);
  if (text === undefined) return { ok: false, reason: 'unreadable' };
  const clean = text
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return clean ? { ok: true, text: clean } : { ok: false, reason: 'empty' };
}

function plainText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf-16be');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

function docxText(bytes: Buffer): string | undefined {
  const dir = readDirectory(bytes, MAX_ENTRIES);
  if (!dir.ok) return undefined;
  const entry = dir.entries.find((e) => e.name === 'word/document.xml');
  if (!entry || entry.size > MAX_DOCUMENT_XML) return undefined;
  const unpacked = unpackEntry(bytes, entry);
  if (!unpacked.ok) return undefined;
  return paragraphs(unpacked.data.toString('utf8'));
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXml(s: string): string {
  return s.replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|(\w+));/g, (whole, dec, hex, name) => {
    if (dec || hex) {
      const code = Number.parseInt(dec ?? hex, dec ? 10 : 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[name as string] ?? whole;
  });
}

/** WordprocessingML to lines: one per paragraph (w:p), with its runs' text (w:t), tabs and breaks. */
function paragraphs(xml: string): string {
  const lines: string[] = [];
  const body = xml.replace(/<w:(?:del|instrText|delText)\b[^>]*>[\s\S]*?<\/w:(?:del|instrText|delText)>/g, '');
  for (const p of body.split(/<\/w:p>/)) {
    let line = '';
    for (const m of p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:(tab|br|cr)\b[^>]*\/>/g)) {
      if (m[1] !== undefined) line += decodeXml(m[1]);
      else line += m[2] === 'tab' ? '\t' : '\n';
    }
    lines.push(line);
  }
  return lines.join('\n');
}
