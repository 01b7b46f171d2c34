/**
 * The Postgres schema, versioned in code. Each migration runs once, in its own transaction, recorded
 * in `schema_version`; start-up runs those not yet applied (under an advisory lock, so instances
 * starting together do not race) and refuses a database whose schema is newer than this duban.
 *
 * Every row carries its zone from the start: single-workspace mode is the zone `default`.
 */
import type pg from 'pg';

export type Migration = { version: number; name: string; sql: string };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'zones, events, snapshots, deliveries',
    sql: `
CREATE TABLE zones (
  id text PRIMARY KEY,
  name text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The journal: append-only, one row per event, numbered per zone.
CREATE TABLE events (
  zone_id text NOT NULL REFERENCES zones (id),
  seq bigint NOT NULL,
  type text NOT NULL,
  at timestamptz NOT NULL,
  item_id text,
  body jsonb NOT NULL,
  PRIMARY KEY (zone_id, seq)
);
CREATE INDEX events_item ON events (zone_id, item_id, seq) WHERE item_id IS NOT NULL;

CREATE FUNCTION duban_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only \`duban migrate --force\` replaces a zone's journal, and says so for its own transaction.
  IF current_setting('duban.replace_zone', true) = OLD.zone_id THEN RETURN OLD; END IF;
  RAISE EXCEPTION 'the journal is append-only: % of event % in zone % refused', TG_OP, OLD.seq, OLD.zone_id;
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION duban_events_append_only();

-- The hot document (the fold of the journal and the delivery bookkeeping), per zone: its watermark
-- and revision here, its top-level parts in snapshot_parts, each written only when it changed.
CREATE TABLE snapshots (
  zone_id text PRIMARY KEY REFERENCES zones (id),
  seq bigint NOT NULL DEFAULT 0,
  revision bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- json, not jsonb: the text is kept as written, key order included (the bookkeeping evicts oldest first).
CREATE TABLE snapshot_parts (
  zone_id text NOT NULL REFERENCES snapshots (zone_id),
  key text NOT NULL,
  revision bigint NOT NULL,
  value json NOT NULL,
  PRIMARY KEY (zone_id, key)
);
CREATE INDEX snapshot_parts_revision ON snapshot_parts (zone_id, revision);

-- Slack deliveries logged (event ids, channel:ts of messages): a retry delivered to another instance
-- conflicts here and its transaction is refused, so it is logged once.
CREATE TABLE deliveries (
  zone_id text NOT NULL REFERENCES zones (id),
  key text NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (zone_id, key)
);
`,
  },
  {
    version: 2,
    name: 'installations',
    sql: `
-- Many workspaces (Slack's OAuth distribution): each installed workspace's installation, sealed with
-- DUBAN_TOKEN_KEY (src/zones/secrets.ts), by its zone: the Slack team or enterprise id. A workspace that
-- uninstalls duban loses its row; its zone's data stays.
CREATE TABLE installations (
  zone_id text PRIMARY KEY REFERENCES zones (id),
  sealed text NOT NULL,
  installed_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** The database's schema is newer than this duban understands. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `the database schema is version ${found}, newer than this duban understands (${supported}). Upgrade duban to a version that knows it; nothing was changed.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** An arbitrary constant: the advisory lock that serialises schema migrations across instances. */
const MIGRATION_LOCK = 0x6475_6261_6e00n;

/** Applies the migrations `client`'s database lacks; returns the versions applied (none when up to date). */
export async function migrate(
  client: pg.ClientBase,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ from: number; to: number; applied: number[] }> {
  const latest = migrations.at(-1)?.version ?? 0;
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
    const from = rows[0]?.v ?? 0;
    if (from > latest) throw new SchemaTooNewError(from, latest);
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= from) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
      applied.push(m.version);
    }
    return { from, to: Math.max(from, latest), applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
  }
}
