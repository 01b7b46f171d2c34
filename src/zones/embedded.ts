/**
 * Multi-workspace mode on the embedded store: each zone's data in a folder of its own under the data
 * folder (`zones/<zone id>/duban.json` and its journal), the sealed installations in
 * `installations.json` beside them. A zone's store is opened on its first request and kept open.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppZones } from '../slack/app.ts';
import { openStore, type Store } from '../store/store.ts';
import { createInstallationStore, fileInstallationRepo, isZoneId, type ZonesOptions } from './installations.ts';

export type EmbeddedZonesOptions = ZonesOptions & {
  /** The folder that holds every zone (the single-workspace data file's folder). */
  dataDir: string;
  /** Keep every zone in memory (tests). */
  memory?: boolean;
};

export function zoneDataFile(dataDir: string, zoneId: string): string {
  if (!isZoneId(zoneId)) throw new Error(`not a zone id: ${zoneId}`);
  return join(dataDir, 'zones', zoneId, 'duban.json');
}

/** The data folder of a DATA_FILE: multi-workspace mode keeps its zones beside it. */
export function dataDirOf(dataFile: string): string {
  return dirname(dataFile);
}

export function embeddedZones(options: EmbeddedZonesOptions): AppZones & { close(): Promise<void> } {
  const stores = new Map<string, Promise<Store>>();
  const installations = createInstallationStore(
    fileInstallationRepo(join(options.dataDir, 'installations.json')),
    options.sealer,
    options.clock,
  );
  return {
    installations,
    async open(zoneId) {
      let store = stores.get(zoneId);
      if (!store) {
        const file = zoneDataFile(options.dataDir, zoneId);
        store = mkdir(dirname(file), { recursive: true }).then(() =>
          openStore(file, {
            timeZone: options.timeZone,
            calendar: options.calendar,
            ...(options.clock ? { clock: options.clock } : {}),
            ...(options.memory ? { memory: true } : {}),
            ...(options.onNotice ? { onNotice: options.onNotice } : {}),
          }),
        );
        store.catch(() => stores.delete(zoneId));
        stores.set(zoneId, store);
      }
      const opened = await store;
      return { store: opened, ...(options.assistant ? { assistant: options.assistant(opened) } : {}) };
    },
    async close() {
      const all = await Promise.allSettled(stores.values());
      stores.clear();
      for (const s of all) if (s.status === 'fulfilled') await s.value.close();
    },
  };
}
