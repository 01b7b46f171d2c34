/**
 * The only importer of lowdb. One document, loaded once and validated; every write goes through
 * `update`, which validates the result, puts it on disk and only then makes it visible.
 */
import { Low, type Adapter } from 'lowdb';
import lockfile from 'proper-lockfile';
import { createReadModel, type ReadModel } from '../domain/read-model.ts';
import { Database, SCHEMA_VERSION, emptyDatabase } from '../domain/schema.ts';
import { DataFileError, StoreLockedError, formatIssues } from './errors.ts';
import { DurableTextFile } from './json-file.ts';
import { migrate } from './migrations.ts';

export type Store = {
  readonly file: string;
  /** The current revision: an immutable snapshot, cheap to call on every request. */
  model(): ReadModel;
  /**
   * Applies `mutate` to a copy of the document, validates it and writes it durably. Resolves after
   * the write is on disk; rejects, changing nothing, when the result is invalid or the write fails.
   * Calls are applied one at a time in call order.
   */
  update(mutate: (draft: Database) => void): Promise<ReadModel>;
  close(): Promise<void>;
};

export type OpenStoreOptions = {
  timeZone: string;
  /** Take the inter-process lock (default true). Off only for read-only tools. */
  lock?: boolean;
};

/** Parses, migrates and validates a document's text; throws DataFileError naming every problem. */
export function parseDocument(file: string, text: string): Database {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DataFileError(file, [`not valid JSON: ${(e as Error).message}`], 'The file was left untouched. Fix it, or restore it from a backup.');
  }
  const migrated = migrate(file, raw);
  const result = Database.safeParse(migrated);
  if (!result.success) {
    throw new DataFileError(file, formatIssues(migrated, result.error.issues), 'The file was left untouched. Fix the values above, then start again (`npx duban check` re-validates it).');
  }
  return result.data;
}

class DocumentFile implements Adapter<Database> {
  readonly #text: DurableTextFile;
  constructor(readonly file: string) {
    this.#text = new DurableTextFile(file);
  }
  async read(): Promise<Database | null> {
    const text = await this.#text.read();
    return text === null ? null : parseDocument(this.file, text);
  }
  write(data: Database): Promise<void> {
    return this.#text.write(`${JSON.stringify(data, null, 2)}\n`);
  }
}

/** Reads and validates a data file without locking it (for `duban check`); a missing file is an empty store. */
export async function loadDatabase(file: string): Promise<{ db: Database; exists: boolean }> {
  const db = await new DocumentFile(file).read();
  return db ? { db, exists: true } : { db: emptyDatabase(), exists: false };
}

async function acquireLock(file: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(file, {
      realpath: false,
      lockfilePath: `${file}.lock`,
      stale: 10_000,
      update: 4_000,
      retries: 0,
      onCompromised: (err) => {
        // Another process took the lock over: stop writing rather than risk two writers.
        process.emitWarning(`duban: lost the lock on ${file}: ${err.message}`);
        process.exit(1);
      },
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') throw new StoreLockedError(file);
    throw e;
  }
}

export async function openStore(file: string, options: OpenStoreOptions): Promise<Store> {
  const release = options.lock === false ? async () => undefined : await acquireLock(file);
  const low = new Low<Database>(new DocumentFile(file), emptyDatabase());
  try {
    await low.read();
  } catch (e) {
    await release();
    throw e;
  }
  let model = createReadModel(low.data, options.timeZone, 0);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const apply = async (mutate: (draft: Database) => void): Promise<ReadModel> => {
    if (closed) throw new Error(`store ${file} is closed`);
    const draft = structuredClone(low.data);
    mutate(draft);
    draft.version = SCHEMA_VERSION;
    const result = Database.safeParse(draft);
    if (!result.success) throw new DataFileError(file, formatIssues(draft, result.error.issues), 'Nothing was written.');
    const previous = low.data;
    low.data = result.data;
    try {
      await low.write();
    } catch (e) {
      low.data = previous;
      throw e;
    }
    model = createReadModel(result.data, options.timeZone, model.revision + 1);
    return model;
  };

  return {
    file,
    model: () => model,
    update(mutate) {
      const run = queue.then(() => apply(mutate));
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await release();
    },
  };
}
