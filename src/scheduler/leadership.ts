/**
 * Which instance runs the schedule when several share one Postgres database: the one holding a session
 * advisory lock. Each instance keeps a connection of its own (not from a pool: the lock belongs to the
 * session) and campaigns every `campaignMs` with pg_try_advisory_lock; the winner holds the lock for as
 * long as its session lives. A leader whose connection fails steps down at once (starts no new run),
 * reconnects and, after two rounds (so a healthy instance takes over first), campaigns again. Before each scheduled run the leader asks the database whether its
 * session still holds the lock (one cheap query), so a leader cut off from the database does not run.
 *
 * Takeover bound: when the leader's process dies its socket closes and Postgres frees the lock at once;
 * the next campaign of another instance (≤ `campaignMs`) takes it. When the leader's machine vanishes
 * without closing the socket, Postgres notices through TCP keepalive (the server's tcp_keepalives_*
 * settings) or idle_session_timeout; the leader's own side notices through the client's keepalive and
 * the query timeout of its check, and steps down.
 *
 * In multi-workspace mode there is one leader for all zones: one lock, one gate, shared by every zone's
 * scheduler. The embedded store needs none of this: its file lock already makes one process.
 */
import { hostname } from 'node:os';
import pg from 'pg';
import type { Logger } from '../log.ts';

export type LeadershipRole = 'leader' | 'follower' | 'single';

/** For /healthz and the logs. */
export type LeadershipStatus = {
  role: LeadershipRole;
  /** This instance: hostname:pid unless given. */
  instance: string;
  /** Since when this instance has had its role (ISO). */
  since: string;
  /** The last time this instance tried for (or confirmed) the lock (ISO); absent for 'single'. */
  lastCampaignAt?: string;
  /** The last connection problem, while it lasts. */
  error?: string;
};

/** What a scheduler asks before each scheduled run. A manual run (an admin's request) does not ask. */
export type RunGate = {
  /** Whether this instance may start a scheduled run now: it leads, and its session still holds the lock. */
  mayRun(): Promise<boolean>;
  status(): LeadershipStatus;
};

export type Leadership = RunGate & {
  /** Starts campaigning (the first campaign is awaited, so a lone instance leads when start() returns). */
  start(): Promise<void>;
  /** Steps down and closes the session, freeing the lock for another instance at once. */
  stop(): Promise<void>;
  isLeader(): boolean;
};

/** The lock every instance campaigns for: one for the whole database, all zones included. */
export const SCHEDULER_LOCK = 'duban:scheduler';
/** How often a follower tries for the lock (and a leader checks it still has it). */
export const DEFAULT_CAMPAIGN_MS = 5_000;

const TRY_LOCK_SQL = 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held';
/** Whether this session holds an advisory lock (it takes no other): reads pg_locks, no lock taken. */
const HOLDS_SQL =
  "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted) AS held";

export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}`;
}

/** The gate of a store only one process can open (the embedded store's file lock): always may run. */
export function singleInstance(options: { instance?: string; clock?: () => Date } = {}): RunGate {
  const since = (options.clock ?? (() => new Date()))().toISOString();
  const instance = options.instance ?? defaultInstanceId();
  return { mayRun: async () => true, status: () => ({ role: 'single', instance, since }) };
}

export type LeadershipOptions = {
  url: string;
  campaignMs?: number;
  instance?: string;
  /** Another lock name (tests running several clusters in one database). */
  lock?: string;
  clock?: () => Date;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** TCP keepalive's first probe after this much idleness (default 10 s), so a vanished peer is noticed. */
  keepAliveMs?: number;
  /** A check or campaign query that takes longer counts as a lost connection (default max(campaignMs, 2 s)). */
  queryTimeoutMs?: number;
};

export function createLeadership(options: LeadershipOptions): Leadership {
  const campaignMs = options.campaignMs ?? DEFAULT_CAMPAIGN_MS;
  const clock = options.clock ?? (() => new Date());
  const instance = options.instance ?? defaultInstanceId();
  const lock = options.lock ?? SCHEDULER_LOCK;
  const queryTimeout = options.queryTimeoutMs ?? Math.max(campaignMs, 2_000);
  const log = options.logger;
  let role: 'leader' | 'follower' = 'follower';
  let since = clock().toISOString();
  let lastCampaignAt: string | undefined;
  let error: string | undefined;
  let client: pg.Client | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = true;
  /** After losing its session an instance lets healthy ones take over first: it campaigns again after two rounds. */
  let quietUntil = 0;
  /** Campaigns and checks one at a time, so a check never races a reconnect. */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  const become = (next: 'leader' | 'follower', why: string) => {
    if (role === next) return;
    const previous = { role, since };
    role = next;
    since = clock().toISOString();
    const details = { instance, role, since, previous, why };
    if (next === 'leader') log?.info(details, 'this instance leads: scheduled runs happen here');
    else log?.warn(details, 'this instance no longer leads: it starts no scheduled run');
  };

  /** The session is gone (or unusable): step down at once; the next campaign reconnects. */
  const lost = (c: pg.Client, e?: Error) => {
    if (client !== c) return;
    client = undefined;
    error = e?.message ?? 'the connection closed';
    c.end().catch(() => undefined);
    if (role === 'leader') quietUntil = performance.now() + 2 * campaignMs;
    become('follower', `lost the database session: ${error}`);
  };

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({
      connectionString: options.url,
      keepAlive: true,
      keepAliveInitialDelayMillis: options.keepAliveMs ?? 10_000,
      query_timeout: queryTimeout,
      connectionTimeoutMillis: queryTimeout,
      application_name: `duban scheduler ${instance}`.slice(0, 63),
    });
    c.on('error', (e) => lost(c, e));
    c.on('end', () => lost(c));
    client = c;
    try {
      await c.connect();
    } catch (e) {
      lost(c, e as Error);
      throw e;
    }
    return c;
  };

  const held = async (sql: string, params: unknown[]): Promise<boolean> => {
    const c = client ?? (await connect());
    try {
      const { rows } = await c.query<{ held: boolean }>(sql, params);
      error = undefined;
      return rows[0]?.held === true;
    } catch (e) {
      lost(c, e as Error);
      throw e;
    }
  };

  const campaign = () =>
    serial(async () => {
      if (stopped || performance.now() < quietUntil) return;
      lastCampaignAt = clock().toISOString();
      try {
        if (role === 'leader') {
          if (!(await held(HOLDS_SQL, []))) become('follower', 'the session no longer holds the lock');
        } else if (await held(TRY_LOCK_SQL, [lock])) become('leader', 'took the lock');
      } catch {
        // Recorded in `error` and stepped down by lost(); tried again at the next campaign.
      }
    });

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      void campaign().finally(schedule);
    }, campaignMs);
    timer.unref?.();
  };

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      await campaign();
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await serial(async () => {
        const c = client;
        client = undefined;
        become('follower', 'stopping');
        // Closing the session frees the lock; the next instance's campaign takes it.
        await c?.end().catch(() => undefined);
      });
    },
    isLeader: () => role === 'leader',
    mayRun() {
      if (role !== 'leader' || stopped) return Promise.resolve(false);
      return serial(async () => {
        if (role !== 'leader') return false;
        try {
          const ok = await held(HOLDS_SQL, []);
          if (!ok) become('follower', 'the session no longer holds the lock');
          return ok;
        } catch {
          return false;
        }
      });
    },
    status: () => ({
      role,
      instance,
      since,
      ...(lastCampaignAt ? { lastCampaignAt } : {}),
      ...(error ? { error } : {}),
    }),
  };
}
