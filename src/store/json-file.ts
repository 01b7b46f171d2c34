/**
 * A lowdb adapter that is durable: the document is written to a temporary file, flushed to disk,
 * renamed over the old one and the directory flushed, so a crash at any moment leaves either the
 * old or the new document, never a torn one, and a resolved write() is on disk.
 */
import { type FileHandle, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

export class DurableTextFile implements Adapter<string> {
  #queue: Promise<void> = Promise.resolve();
  #seq = 0;

  constructor(readonly path: string) {}

  async read(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Writes the whole file: a text, or bytes in pieces written one after another. */
  write(content: string | readonly Buffer[]): Promise<void> {
    // Writes are serialised: a later write never lands before an earlier one.
    const run = this.#queue.then(() => this.#writeNow(content));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #writeNow(content: string | readonly Buffer[]): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${basename(this.path)}.${process.pid}.${++this.#seq}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      if (typeof content === 'string') await fh.writeFile(content, 'utf8');
      else await writeAll(fh, content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    await syncDirectory(dir);
  }
}

/** Flushes a folder's entries (a file created, renamed or removed in it) to disk. */
export async function syncDirectory(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } catch {
    // Some file systems do not support fsync on directories; the rename is still atomic there.
  } finally {
    await d.close();
  }
}

/** Writes every piece in order, however much each writev call takes. */
async function writeAll(fh: FileHandle, pieces: readonly Buffer[]): Promise<void> {
  let rest = pieces.filter((p) => p.length > 0);
  while (rest.length > 0) {
    // At most IOV_MAX (1,024 on Linux) pieces a call.
    const batch = rest.slice(0, 1024);
    let { bytesWritten } = await fh.writev(batch);
    let i = 0;
    while (i < batch.length && bytesWritten >= batch[i]!.length) bytesWritten -= batch[i++]!.length;
    rest =
      i < batch.length
        ? [batch[i]!.subarray(bytesWritten), ...batch.slice(i + 1), ...rest.slice(batch.length)]
        : rest.slice(batch.length);
  }
}
