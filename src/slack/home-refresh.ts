/**
 * App Home in Slack: publishes a user's view (commands/home.ts) with the ranking chart as an image of
 * a privately uploaded file, and publishes it again after changes. The chart is drawn and uploaded once
 * per content (cached by a hash of its spec), off the request path: a Home without a cached chart is
 * published at once with a note, then again with the image. Users who opened Home recently (bounded)
 * are re-published after writes that concern them, debounced so a burst of writes is one publish each.
 */
import { createHash } from 'node:crypto';
import type { types, webApi } from '@slack/bolt';
import { departmentsOf } from '../../commands/home/roles.ts';
import { type HomeRole, type HomeView, homeView } from '../../commands/home.ts';
import type { ChartPort, ChartSpec } from '../charts/port.ts';
import { rankingChart } from '../charts/specs/ranking.ts';
import { itemOfEvent, type JournalEvent } from '../domain/journal.ts';
import type { WritePort } from '../domain/ports.ts';
import type { ReadModel } from '../domain/read-model.ts';
import { type Locale, messages } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import { LIMITS, renderBlocks } from './blocks.ts';
import type { ListenerDeps } from './context.ts';
import { uploadFiles } from './upload.ts';

type KnownBlock = types.KnownBlock;

/** A write port that tells `onEvents` about every transaction that appended events, after it is durable. */
export function watchWrites(store: WritePort, onEvents: (events: readonly JournalEvent[]) => void): WritePort {
  return {
    model: () => store.model(),
    history: (filter) => store.history(filter),
    remember: (change) => store.remember(change),
    async transact(fn) {
      const done = await store.transact(fn);
      if (done.events.length > 0) onEvents(done.events);
      return done;
    },
  };
}

/**
 * Uploaded chart files by the hash of their spec: drawn and uploaded once per content, however many open
 * Home. The ranking changes with every report, so the oldest of more than `max` is forgotten and its file
 * deleted from Slack (a Home still showing it is published again with the new chart when next opened).
 */
export function createChartFiles(
  charts: ChartPort,
  client: webApi.WebClient,
  max = 50,
  onDeleteFailed: (err: unknown, fileId: string) => void = () => undefined,
) {
  const ids = new Map<string, string>();
  const inFlight = new Map<string, Promise<string>>();
  const keyOf = (spec: ChartSpec) =>
    createHash('sha256')
      .update(JSON.stringify([spec.kind, spec.width, spec.height, spec.title, spec.alt, spec.option]))
      .digest('hex');
  return {
    cached(spec: ChartSpec): string | undefined {
      return ids.get(keyOf(spec));
    },
    ensure(spec: ChartSpec): Promise<string> {
      const key = keyOf(spec);
      const known = ids.get(key);
      if (known) return Promise.resolve(known);
      let pending = inFlight.get(key);
      if (!pending) {
        pending = (async () => {
          const image = await charts.render(spec);
          const [id] = await uploadFiles(
            client,
            [{ bytes: image.png, filename: image.filename, title: image.title, altText: image.alt }],
            undefined,
          );
          if (!id) throw new Error('the chart upload answered no file id');
          ids.set(key, id);
          if (ids.size > max) {
            const [oldest, oldId] = ids.entries().next().value!;
            ids.delete(oldest);
            client.files.delete({ file: oldId }).catch((err: unknown) => onDeleteFailed(err, oldId));
          }
          return id;
        })().finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}

/** Places the chart (or the note that it is coming) after the view's `chartAfter` blocks, within 100 blocks. */
export function composeHome(view: HomeView, chart: KnownBlock | undefined, locale: Locale): KnownBlock[] {
  const { blocks } = view.reply;
  if (view.chartAfter === undefined || !chart) return renderBlocks(blocks, locale, LIMITS.surfaceBlocks);
  const head = renderBlocks(blocks.slice(0, view.chartAfter), locale, LIMITS.surfaceBlocks - 1);
  const room = LIMITS.surfaceBlocks - 1 - head.length;
  const tail = room > 1 ? renderBlocks(blocks.slice(view.chartAfter), locale, room) : [];
  return [...head, chart, ...tail];
}

function imageBlock(fileId: string, spec: ChartSpec): KnownBlock {
  return {
    type: 'image',
    slack_file: { id: fileId },
    alt_text: spec.alt.slice(0, 2000),
    title: { type: 'plain_text', text: spec.title.slice(0, 2000) },
  } as KnownBlock;
}

/** How the departments a set of events touches: their ids, or every department. */
function touched(events: readonly JournalEvent[], model: ReadModel): Set<string> | 'all' {
  const ids = new Set<string>();
  for (const e of events) {
    const itemId = itemOfEvent(e);
    const found = itemId ? model.item(itemId) : undefined;
    if (found) for (const id of [found.item.departmentId, ...found.item.coDepartmentIds]) ids.add(id);
    else if ('departmentId' in e && typeof e.departmentId === 'string') ids.add(e.departmentId);
    else return 'all';
  }
  return ids;
}

export type HomeOptions = {
  /** Coalesces a burst of writes into one publish per user (ms). */
  debounceMs?: number;
  /** Who opened Home within this long is refreshed after changes (ms). */
  recentMs?: number;
  /** At most this many users are remembered (the oldest forgotten first). */
  maxUsers?: number;
  /** The wall clock for "recently" (default Date.now). */
  nowMs?: () => number;
  /** Chart files kept uploaded (default 50); older ones are deleted from Slack. */
  maxCharts?: number;
};

export type HomePublisher = {
  /**
   * Publishes the user's Home, in `role` when they have it (else the role they last saw). `byUser`
   * (default true): the user opened or switched it, so they count as having opened Home recently.
   */
  publish(userId: string, role?: HomeRole, byUser?: boolean): Promise<void>;
  /** Notes events just written: the Homes they concern are published again shortly. */
  changed(events: readonly JournalEvent[]): void;
  close(): void;
};

export function createHomePublisher(
  client: webApi.WebClient,
  deps: Pick<ListenerDeps, 'store' | 'charts' | 'locale' | 'admins' | 'readContext'> & { logger: Logger },
  options: HomeOptions = {},
): HomePublisher {
  const debounceMs = options.debounceMs ?? 1_500;
  const recentMs = options.recentMs ?? 24 * 60 * 60_000;
  const maxUsers = options.maxUsers ?? 500;
  const nowMs = options.nowMs ?? Date.now;
  const charts = createChartFiles(deps.charts, client, options.maxCharts, (err, fileId) =>
    deps.logger.warn({ err, fileId }, 'could not delete an old App Home chart from Slack'),
  );
  /** Who opened Home, in which role, when; oldest first (re-inserted on each opening). */
  const opened = new Map<string, { role?: HomeRole; at: number }>();
  const due = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  /** Remembers the role shown; only the user's own opening or switch counts as "recently opened". */
  const note = (userId: string, role: HomeRole | undefined, byUser: boolean) => {
    const at = byUser ? nowMs() : opened.get(userId)?.at;
    if (at === undefined) return;
    opened.delete(userId);
    opened.set(userId, { ...(role ? { role } : {}), at });
    if (opened.size > maxUsers) opened.delete(opened.keys().next().value!);
  };

  const publish = async (userId: string, role?: HomeRole, byUser = true): Promise<void> => {
    if (closed) return;
    const locale = await deps.locale(userId);
    const isAdmin = await deps.admins.isAdmin(userId);
    const ctx = { ...deps.readContext(userId, locale), isAdmin };
    const view = homeView(ctx, role ?? opened.get(userId)?.role);
    note(userId, view.role, byUser);
    let chart: KnownBlock | undefined;
    let spec: ChartSpec | undefined;
    if (view.chartAfter !== undefined) {
      spec = rankingChart(ctx.model.rollup(ctx.today), ctx.model.db.meta.zone, ctx.today, locale);
      const id = charts.cached(spec);
      chart = id
        ? imageBlock(id, spec)
        : { type: 'context', elements: [{ type: 'mrkdwn', text: messages(locale).home.chartPending }] };
    }
    await client.views.publish({ user_id: userId, view: { type: 'home', blocks: composeHome(view, chart, locale) } });
    if (spec && !charts.cached(spec)) {
      // Drawn and uploaded apart from this request; the Home is published again once the image exists.
      const role = view.role;
      charts
        .ensure(spec)
        .then(() => publish(userId, role, false))
        .catch((err: unknown) => deps.logger.error({ err, userId }, 'could not put the ranking chart on App Home'));
    }
  };

  const flush = async () => {
    timer = undefined;
    const users = [...due];
    due.clear();
    for (const userId of users) {
      await publish(userId, undefined, false).catch((err: unknown) =>
        deps.logger.warn({ err, userId }, 'could not refresh App Home after a change'),
      );
    }
  };

  return {
    publish,
    changed(events) {
      if (closed || opened.size === 0) return;
      const since = nowMs() - recentMs;
      const model = deps.store.model();
      const departments = touched(events, model);
      for (const [userId, seen] of opened) {
        if (seen.at < since) continue;
        // A department's people see their own department: refreshed only when it is touched.
        if (
          seen.role === 'liaison' &&
          departments !== 'all' &&
          !departmentsOf(model, userId).some((d) => departments.has(d.id))
        )
          continue;
        due.add(userId);
      }
      if (due.size > 0 && !timer) {
        timer = setTimeout(() => void flush(), debounceMs);
        timer.unref();
      }
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
