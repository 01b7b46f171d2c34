/**
 * Multi-workspace mode on Postgres (DATABASE_URL with SLACK_CLIENT_ID): every installed workspace's
 * zone in one database, its rows under its Slack team (or enterprise) id, and the sealed installations
 * in the `installations` table. The process has one pool and one LISTEN connection for all its zones
 * (openSharedPostgres): each zone's store is opened on its first request, once, on the shared pool,
 * and the change feed hands each commit notification to the store of its zone.
 */
import type pg from 'pg';
import type { AppZones } from '../slack/app.ts';
import { openPostgresStore, openSharedPostgres, type PostgresStore } from '../store/postgres/store.ts';
import { createInstallationStore, type InstallationRepo, isZoneId, type ZonesOptions } from './installations.ts';

export type PostgresZonesOptions = ZonesOptions & {
  url: string;
  /** Connections in the shared pool (default 10); the change feed's is one more. */
  poolSize?: number;
};

/** The database as /healthz reports it in multi-workspace mode. */
export type PostgresZonesStatus = {
  store: 'postgres';
  /** The change feed (one LISTEN connection for every zone) is connected. */
  connected: boolean;
  schema: number;
  pool: { max: number; size: number; idle: number; waiting: number };
  /** Zones whose store this process has open. */
  zones: number;
  error?: string;
};

export type PostgresZones = AppZones & {
  status(): PostgresZonesStatus;
  /** Closes every zone's store, then the shared pool and change feed. */
  close(): Promise<void>;
};

/** Sealed installations in the `installations` table (migration 2), one row per zone. */
export function postgresInstallationRepo(pool: pg.Pool): InstallationRepo {
  return {
    async get(zoneId) {
      const { rows } = await pool.query<{ sealed: string }>('SELECT sealed FROM installations WHERE zone_id = $1', [
        zoneId,
      ]);
      return rows[0]?.sealed;
    },
    async put(zoneId, sealed, at) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO zones (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [zoneId]);
        await client.query(
          `INSERT INTO installations (zone_id, sealed, installed_at, updated_at) VALUES ($1, $2, $3, $3)
           ON CONFLICT (zone_id) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = EXCLUDED.updated_at`,
          [zoneId, sealed, at],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async delete(zoneId) {
      await pool.query('DELETE FROM installations WHERE zone_id = $1', [zoneId]);
    },
    async zoneIds() {
      const { rows } = await pool.query<{ zone_id: string }>('SELECT zone_id FROM installations ORDER BY zone_id');
      return rows.map((r) => r.zone_id).filter(isZoneId);
    },
  };
}

/** Opens the shared pool and change feed (running the schema migrations) and serves zones on them. */
export async function openPostgresZones(options: PostgresZonesOptions): Promise<PostgresZones> {
  const shared = await openSharedPostgres({
    url: options.url,
    ...(options.poolSize ? { poolSize: options.poolSize } : {}),
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
  });
  const stores = new Map<string, Promise<PostgresStore>>();
  let closed = false;
  const installations = createInstallationStore(postgresInstallationRepo(shared.pool), options.sealer, options.clock);
  const closeStore = async (store: Promise<PostgresStore> | undefined) => {
    const opened = await store?.catch(() => undefined);
    await opened?.close();
  };
  return {
    installations,
    async open(zoneId) {
      if (closed) throw new Error('the zones are closed');
      if (!isZoneId(zoneId)) throw new Error(`not a zone id: ${zoneId}`);
      let store = stores.get(zoneId);
      if (!store) {
        // Kept before it resolves: a second request for the zone waits for the same store.
        store = openPostgresStore({
          url: options.url,
          zoneId,
          timeZone: options.timeZone,
          calendar: options.calendar,
          shared,
          ...(options.clock ? { clock: options.clock } : {}),
          ...(options.onNotice ? { onNotice: options.onNotice } : {}),
        });
        const opening = store;
        opening.catch(() => {
          if (stores.get(zoneId) === opening) stores.delete(zoneId);
        });
        stores.set(zoneId, store);
      }
      const opened = await store;
      return { store: opened, ...(options.assistant ? { assistant: options.assistant(opened) } : {}) };
    },
    async release(zoneId) {
      const store = stores.get(zoneId);
      stores.delete(zoneId);
      await closeStore(store);
    },
    status() {
      const { pool, feed } = shared;
      return {
        store: 'postgres',
        connected: feed.connected,
        schema: shared.schema,
        pool: { max: pool.options.max, size: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount },
        zones: stores.size,
        ...(feed.error ? { error: feed.error } : {}),
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      const all = [...stores.values()];
      stores.clear();
      // The stores first: each writes what it still holds on the shared pool.
      await Promise.all(all.map(closeStore));
      await shared.close();
    },
  };
}
