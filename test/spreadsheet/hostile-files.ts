/**
 * Hostile workbooks, built in code rather than committed: a tiny .xlsx whose one merged range covers
 * the whole sheet, and a small .xlsx whose sheet unpacks to hundreds of megabytes of rows. Both took
 * the bot down before imports were bounded (see docs/benchmarks.md). Built by hand, not with exceljs:
 * exceljs would expand the merge while writing it, and a 300 MB sheet must never exist in memory.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** A zip entry: its data as raw-deflate pieces (concatenated as they are), the size and CRC of what they unpack to. */
export type ZipEntry = { name: string; deflated: Buffer[]; size: number; crc: number; declaredSize?: number };

export function deflatedEntry(name: string, data: Buffer | string): ZipEntry {
  const bytes = Buffer.from(data);
  return { name, deflated: [deflateRawSync(bytes)], size: bytes.length, crc: crc32(bytes) };
}

/** A zip archive (deflate, no data descriptors), as Excel writes one. */
export function zipOf(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const compressed = e.deflated.reduce((n, b) => n + b.length, 0);
    const size = e.declaredSize ?? e.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(compressed, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(e.crc >>> 0, 16);
    header.writeUInt32LE(compressed, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, ...e.deflated);
    central.push(header, name);
    offset += local.length + name.length + compressed;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** One row of inline strings and numbers, as `<row r="n">…</row>` (without `r` when n is undefined). */
export function rowXml(n: number | undefined, values: ReadonlyArray<string | number>): string {
  const col = (i: number) => String.fromCharCode(65 + i);
  const cells = values.map((v, i) => {
    const r = n === undefined ? '' : ` r="${col(i)}${n}"`;
    return typeof v === 'number'
      ? `<c${r}><v>${v}</v></c>`
      : `<c${r} t="inlineStr"><is><t>${escapeXml(v)}</t></is></c>`;
  });
  return `<row${n === undefined ? '' : ` r="${n}"`}>${cells.join('')}</row>`;
}

/** The parts around a worksheet: content types, relationships and the workbook naming the sheets. */
export function packageEntries(sheetNames: readonly string[]): ZipEntry[] {
  const sheets = sheetNames
    .map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  const rels = sheetNames
    .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join('');
  const overrides = sheetNames
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join('');
  return [
    deflatedEntry(
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}</Types>`,
    ),
    deflatedEntry(
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    deflatedEntry(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets}</sheets></workbook>`,
    ),
    deflatedEntry(
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${PKG_REL}">${rels}</Relationships>`,
    ),
  ];
}

export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${MAIN}" xmlns:r="${REL}">`;

/** A workbook of sheets given as worksheet XML (whole documents). */
export function workbookOf(sheets: ReadonlyArray<{ name: string; xml: string }>): Buffer {
  return zipOf([
    ...packageEntries(sheets.map((s) => s.name)),
    ...sheets.map((s, i) => deflatedEntry(`xl/worksheets/sheet${i + 1}.xml`, s.xml)),
  ]);
}

export const TARGET_HEADER = ['责任单位', '指标名称', '目标值', '单位', '完成时限'];
const TARGET_ROW = ['经发局', '规上工业增加值增速', 7.5, '%', '2026-12-31'];

/** A sheet 指标 with a header, a row, and `tail` after the sheet data (merges, validations…). */
export function targetsSheet(tail: string, rows: ReadonlyArray<ReadonlyArray<string | number>> = [TARGET_ROW]): string {
  const data = [TARGET_HEADER, ...rows].map((r, i) => rowXml(i + 1, r)).join('');
  return `${SHEET_HEAD}<sheetData>${data}</sheetData>${tail}</worksheet>`;
}

/** About 1.6 KB: a header, one row, and one merged range over the whole sheet, A1:XFD1048576 (17 billion cells). */
export function wholeSheetMerge(): Buffer {
  return workbookOf([
    { name: '指标', xml: targetsSheet('<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>') },
  ]);
}

/**
 * A sheet of `megabytes` MB of identical rows, deflated without ever holding them: one 1 MiB block of
 * rows is compressed once, ending on a full flush (so it stands alone), and repeated. Rows carry no
 * `r` (the format allows it), so every block is the same. With `declaredMegabytes`, the archive's
 * directory claims that size instead, as a forged file would.
 */
export function rowsBomb(options: { megabytes?: number; declaredMegabytes?: number } = {}): Buffer {
  const megabytes = options.megabytes ?? 300;
  const head = Buffer.from(`${SHEET_HEAD}<sheetData>${rowXml(1, TARGET_HEADER)}`);
  const row = rowXml(undefined, TARGET_ROW);
  const block = Buffer.from(row.repeat(Math.floor((1024 * 1024) / Buffer.byteLength(row))));
  const tail = Buffer.from('</sheetData></worksheet>');
  const repeats = Math.ceil((megabytes * 1024 * 1024) / block.length);
  const flushed = { finishFlush: constants.Z_FULL_FLUSH, level: 9 };
  const blockDeflated = deflateRawSync(block, flushed);
  let crc = crc32(head);
  for (let i = 0; i < repeats; i++) crc = crc32(block, crc);
  crc = crc32(tail, crc);
  const size = head.length + repeats * block.length + tail.length;
  const sheet: ZipEntry = {
    name: 'xl/worksheets/sheet1.xml',
    deflated: [
      deflateRawSync(head, flushed),
      ...Array.from({ length: repeats }, () => blockDeflated),
      deflateRawSync(tail),
    ],
    size,
    crc,
    ...(options.declaredMegabytes !== undefined
      ? { declaredSize: Math.round(options.declaredMegabytes * 1024 * 1024) }
      : {}),
  };
  return zipOf([...packageEntries(['指标']), sheet]);
}
