/**
 * A lowdb adapter that is durable: the document is written to a temporary file, flushed to disk,
 * renamed over the old one and the directory flushed, so a crash at any moment leaves either the
 * old or the new document, never a torn one, and a resolved write() is on disk.
 */
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
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

  write(text: string): Promise<void> {
    // Writes are serialised: a later write never lands before an earlier one.
    const run = this.#queue.then(() => this.#writeNow(text));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #writeNow(text: string): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${basename(this.path)}.${process.pid}.${++this.#seq}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text, 'utf8');
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
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } catch {
      // Some file systems do not support fsync on directories; the rename is still atomic there.
    } finally {
      await d.close();
    }
  }
}
