/**
 * The zip container of an .xlsx, read with a budget: the central directory is read without unpacking
 * anything, so its entry count and declared sizes can be refused first, and each entry is then
 * inflated with a hard cap at its declared size, so a directory that lies cannot make us unpack more.
 * What exceljs finally reads is an archive written here from the checked entries (stored, not
 * compressed), so it never sees the original container at all.
 *
 * Node's zlib does the inflating; the zip structures are small and stable (APPNOTE.TXT), so they are
 * read here rather than through another dependency.
 */
import * as zlib from 'node:zlib';

export type ZipEntry = {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  /** As the directory declares it; checked against what actually comes out. */
  size: number;
  dataStart: number;
};

export type Directory = { ok: true; entries: ZipEntry[] } | { ok: false; reason: string; count?: number };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

const utf8 = new TextDecoder('utf-8');

function findEndOfDirectory(bytes: Buffer): number {
  const earliest = Math.max(0, bytes.length - 22 - MAX16);
  for (let i = bytes.length - 22; i >= earliest; i--) {
    if (bytes.readUInt32LE(i) === EOCD && i + 22 + bytes.readUInt16LE(i + 20) <= bytes.length) return i;
  }
  return -1;
}

/** Sizes and offset that did not fit in 32 bits, from the zip64 extra field, in its fixed order. */
function zip64Values(
  extra: Buffer,
  wanted: { size: boolean; compressed: boolean; offset: boolean },
): { size?: number; compressed?: number; offset?: number } | undefined {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let at = i + 4;
      const end = at + length;
      const next = () => {
        if (at + 8 > end || at + 8 > extra.length) return undefined;
        const v = Number(extra.readBigUInt64LE(at));
        at += 8;
        return v;
      };
      const out: { size?: number; compressed?: number; offset?: number } = {};
      if (wanted.size && (out.size = next()) === undefined) return undefined;
      if (wanted.compressed && (out.compressed = next()) === undefined) return undefined;
      if (wanted.offset && (out.offset = next()) === undefined) return undefined;
      return out;
    }
    i += 4 + length;
  }
  return undefined;
}

/**
 * The entries of the archive as its central directory lists them, reading nothing else; more than
 * `maxEntries` is refused as soon as the count is known.
 */
export function readDirectory(bytes: Buffer, maxEntries: number): Directory {
  const end = findEndOfDirectory(bytes);
  if (end < 0) return { ok: false, reason: 'no zip directory' };
  if (bytes.readUInt16LE(end + 4) !== 0 || bytes.readUInt16LE(end + 6) !== 0)
    return { ok: false, reason: 'a multi-part zip' };
  let count = bytes.readUInt16LE(end + 10);
  let directorySize = bytes.readUInt32LE(end + 12);
  let directoryStart = bytes.readUInt32LE(end + 16);
  if (count === MAX16 || directorySize === MAX32 || directoryStart === MAX32) {
    const locator = end - 20;
    if (locator < 0 || bytes.readUInt32LE(locator) !== ZIP64_LOCATOR)
      return { ok: false, reason: 'a damaged zip64 directory' };
    const record = Number(bytes.readBigUInt64LE(locator + 8));
    if (record + 56 > bytes.length || bytes.readUInt32LE(record) !== ZIP64_EOCD)
      return { ok: false, reason: 'a damaged zip64 directory' };
    count = Number(bytes.readBigUInt64LE(record + 32));
    directorySize = Number(bytes.readBigUInt64LE(record + 40));
    directoryStart = Number(bytes.readBigUInt64LE(record + 48));
  }
  if (count > maxEntries) return { ok: false, reason: 'too many entries', count };
  if (directoryStart + directorySize > bytes.length)
    return { ok: false, reason: 'the zip directory lies outside the file' };

  const entries: ZipEntry[] = [];
  let at = directoryStart;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL)
      return { ok: false, reason: 'a damaged zip directory' };
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    let compressedSize = bytes.readUInt32LE(at + 20);
    let size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    let offset = bytes.readUInt32LE(at + 42);
    const nameEnd = at + 46 + nameLength;
    if (nameEnd + extraLength > bytes.length) return { ok: false, reason: 'a damaged zip directory' };
    const name = utf8.decode(bytes.subarray(at + 46, nameEnd));
    if (size === MAX32 || compressedSize === MAX32 || offset === MAX32) {
      const big = zip64Values(bytes.subarray(nameEnd, nameEnd + extraLength), {
        size: size === MAX32,
        compressed: compressedSize === MAX32,
        offset: offset === MAX32,
      });
      if (!big) return { ok: false, reason: 'a damaged zip64 entry' };
      size = big.size ?? size;
      compressedSize = big.compressed ?? compressedSize;
      offset = big.offset ?? offset;
    }
    if (offset + 30 > bytes.length || bytes.readUInt32LE(offset) !== LOCAL)
      return { ok: false, reason: `a damaged entry ${name}` };
    const dataStart = offset + 30 + bytes.readUInt16LE(offset + 26) + bytes.readUInt16LE(offset + 28);
    if (dataStart + compressedSize > bytes.length)
      return { ok: false, reason: `entry ${name} runs past the end of the file` };
    entries.push({ name, method, flags, crc, compressedSize, size, dataStart });
    at = nameEnd + extraLength + commentLength;
  }
  return { ok: true, entries };
}

export type Unpacked = { ok: true; data: Buffer } | { ok: false; reason: string };

/**
 * One entry's bytes, never more than it declares: inflation stops at the declared size, and an entry
 * that comes out larger, smaller or with another checksum is refused as damaged.
 */
export function unpackEntry(bytes: Buffer, entry: ZipEntry): Unpacked {
  if (entry.flags & 0x1) return { ok: false, reason: `${entry.name} is encrypted` };
  const raw = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let data: Buffer;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      // maxOutputLength is a running count inside zlib: inflation stops as soon as it is passed.
      data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size), chunkSize: 64 * 1024 });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return {
        ok: false,
        reason:
          code === 'ERR_BUFFER_TOO_LARGE'
            ? `${entry.name} unpacks to more than it declares`
            : `${entry.name} cannot be inflated`,
      };
    }
  } else return { ok: false, reason: `${entry.name} uses compression method ${entry.method}` };
  if (data.length !== entry.size) return { ok: false, reason: `${entry.name} is not the size it declares` };
  if (crc32(data) !== entry.crc) return { ok: false, reason: `${entry.name} fails its checksum` };
  return { ok: true, data };
}

let table: Int32Array | undefined;

/** zlib.crc32 (Node 20.15 and later), or the same by table. */
export function crc32(data: Uint8Array): number {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(data) >>> 0;
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** A zip of stored (uncompressed) entries: what exceljs is given to read. */
export function storedZip(entries: ReadonlyArray<{ name: string; data: Buffer; crc?: number }>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = e.crc ?? crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(e.data.length, 20);
    header.writeUInt32LE(e.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, e.data);
    central.push(header, name);
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
