/**
 * Where duban keeps the workspaces that installed it (Slack's OAuth distribution): Bolt's
 * `InstallationStore` over a small repository of sealed installations (src/zones/secrets.ts), one per
 * zone. A workspace is a zone; an organisation-wide install is one zone for the organisation.
 *
 * The repository is a JSON file beside the data (the embedded store) or a table (Postgres mode).
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Assistant } from '../../commands/llm-port.ts';
import type { CalendarData } from '../domain/calendar.ts';
import type { WritePort } from '../domain/ports.ts';
import { DurableTextFile } from '../store/json-file.ts';
import type { Sealer } from './secrets.ts';

/** What every zone of a multi-workspace process is opened with, whichever store holds them. */
export type ZonesOptions = {
  sealer: Sealer;
  timeZone: string;
  calendar: CalendarData;
  clock?: () => Date;
  /** The zone's optional model (its own on/off switch lives in its store). */
  assistant?: (store: WritePort) => Assistant;
  onNotice?: (message: string, details: Record<string, unknown>) => void;
};

/** Sealed installations by zone id. */
export type InstallationRepo = {
  get(zoneId: string): Promise<string | undefined>;
  put(zoneId: string, sealed: string, at: string): Promise<void>;
  delete(zoneId: string): Promise<void>;
  zoneIds(): Promise<string[]>;
};

/** The zone of an installation or a request: the organisation for an org-wide install, else the workspace. */
export function zoneIdOf(q: {
  isEnterpriseInstall?: boolean;
  enterpriseId?: string | undefined;
  teamId?: string | undefined;
}): string | undefined {
  return q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
}

/** A zone id is a Slack team or enterprise id; nothing else reaches a file name or a query. */
export function isZoneId(id: string): boolean {
  return /^[TE][A-Z0-9]{2,20}$/.test(id);
}

export class UnknownZoneError extends Error {
  constructor(readonly zoneId: string | undefined) {
    super(`no installation for ${zoneId ?? 'a request without a workspace'}`);
    this.name = 'UnknownZoneError';
  }
}

export type ZoneInstallations = InstallationStore & {
  zoneIds(): Promise<string[]>;
  /** The bot token of an installed zone. */
  botToken(zoneId: string): Promise<string>;
  /** Who installed it: the zone's first admin. */
  installer(zoneId: string): Promise<string | undefined>;
};

export function createInstallationStore(
  repo: InstallationRepo,
  sealer: Sealer,
  clock: () => Date = () => new Date(),
  onInstalled?: (zoneId: string) => void,
): ZoneInstallations {
  const load = async (zoneId: string | undefined): Promise<Installation> => {
    const sealed = zoneId && isZoneId(zoneId) ? await repo.get(zoneId) : undefined;
    if (!sealed) throw new UnknownZoneError(zoneId);
    return JSON.parse(sealer.open(sealed, zoneId!)) as Installation;
  };
  return {
    async storeInstallation(installation) {
      const zoneId = zoneIdOf({
        isEnterpriseInstall: installation.isEnterpriseInstall ?? false,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      });
      if (!zoneId || !isZoneId(zoneId)) throw new Error('an installation without a workspace or organisation id');
      await repo.put(zoneId, sealer.seal(JSON.stringify(installation), zoneId), clock().toISOString());
      onInstalled?.(zoneId);
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      return load(zoneIdOf(query));
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const zoneId = zoneIdOf(query);
      if (zoneId && isZoneId(zoneId)) await repo.delete(zoneId);
    },
    zoneIds: () => repo.zoneIds(),
    async botToken(zoneId) {
      const token = (await load(zoneId)).bot?.token;
      if (!token) throw new UnknownZoneError(zoneId);
      return token;
    },
    async installer(zoneId) {
      return (await load(zoneId)).user?.id;
    },
  };
}

type FileShape = { version: 1; installations: Record<string, { sealed: string; at: string }> };

/** Installations in one JSON file, written durably (temporary file, fsync, rename). */
export function fileInstallationRepo(path: string): InstallationRepo {
  const file = new DurableTextFile(path);
  let cache: Promise<Map<string, { sealed: string; at: string }>> | undefined;
  const all = () => {
    cache ??= file.read().then((text) => {
      const parsed = text ? (JSON.parse(text) as FileShape) : undefined;
      return new Map(Object.entries(parsed?.installations ?? {}));
    });
    return cache;
  };
  const save = async (map: Map<string, { sealed: string; at: string }>) => {
    const shape: FileShape = { version: 1, installations: Object.fromEntries(map) };
    await file.write(`${JSON.stringify(shape, null, 2)}\n`);
  };
  return {
    async get(zoneId) {
      return (await all()).get(zoneId)?.sealed;
    },
    async put(zoneId, sealed, at) {
      const map = await all();
      map.set(zoneId, { sealed, at });
      await save(map);
    },
    async delete(zoneId) {
      const map = await all();
      if (map.delete(zoneId)) await save(map);
    },
    async zoneIds() {
      return [...(await all()).keys()].sort();
    },
  };
}
