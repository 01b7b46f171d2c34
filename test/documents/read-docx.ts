/** Opens a .docx as Word would find it: the main part's XML, and its text run by run. */
import { readDirectory, unpackEntry } from '../../src/spreadsheet/zip.ts';

export function docxPart(bytes: Buffer, name = 'word/document.xml'): string {
  const dir = readDirectory(bytes, 100);
  if (!dir.ok) throw new Error(`not a zip: ${dir.reason}`);
  const entry = dir.entries.find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name} in the document`);
  const part = unpackEntry(bytes, entry);
  if (!part.ok) throw new Error(`cannot unpack ${name}: ${part.reason}`);
  return part.data.toString('utf8');
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The document's paragraphs as text (the runs of each joined), in order. */
export function docxParagraphs(bytes: Buffer): string[] {
  const xml = docxPart(bytes);
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1]!)).join(''),
  );
}
