/**
 * The bundled sample zone as a read model, without the Slack app, so that the fast tier can read it
 * (test/support/app.ts, which starts Bolt, re-exports it for the Slack tier).
 */
import { join } from 'node:path';
import { mergeImport } from '../../src/domain/merge.ts';
import { createReadModel, type ReadModel } from '../../src/domain/read-model.ts';
import { Database, emptyDatabase } from '../../src/domain/schema.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { checkMerged, readImportFile } from '../../src/store/import.ts';

export const SEED_FILE = join(import.meta.dirname, '..', '..', 'data', 'seed', 'nantong-2026.json');

/** The seed zone as `duban demo` shows it, read in Shanghai with the Chinese working calendar. */
export async function seedModel(): Promise<ReadModel> {
  const parsed = await readImportFile(SEED_FILE);
  const db = emptyDatabase();
  mergeImport(db, parsed);
  checkMerged(SEED_FILE, db, db.updates);
  return createReadModel(Database.parse(db), 'Asia/Shanghai', 0, chineseCalendarData());
}
