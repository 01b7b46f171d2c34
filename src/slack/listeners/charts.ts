/**
 * 趋势图 / Trend on an item's detail view (commands/trend.ts): the click is acknowledged at once, the
 * chart drawn off the thread that answers Slack (deps.charts) and sent to the asker's DM with duban —
 * a file cannot be shown to one person in a channel — with an ephemeral word where they clicked. The
 * same click delivered again (same user and action_ts) sends nothing more: it is noted among the seen
 * deliveries (bounded, kept an hour: src/domain/delivery.ts) before the chart is drawn.
 */
import { noTrendText, TREND_CHART, trendSubject } from '../../../commands/trend.ts';
import type { ChartSpec } from '../../charts/port.ts';
import { trendChart } from '../../charts/specs/trend.ts';
import { SEEN_EVENT_MS } from '../../domain/delivery.ts';
import { own } from '../../domain/lookup.ts';
import { deleteEntry, setEntry } from '../../domain/owned-records.ts';
import type { WritePort } from '../../domain/ports.ts';
import type { ItemProgress } from '../../domain/progress.ts';
import type { ItemStatus } from '../../domain/status.ts';
import { type Locale, messages } from '../../i18n/index.ts';
import { chartFile } from '../../scheduler/chart-posts.ts';
import type { ListenerDeps } from '../context.ts';
import type { Router } from '../router.ts';
import { uploadToDm } from '../upload.ts';

/** Draws an item's trend, or answers undefined when there is nothing to draw. */
export type TrendSpecFn = (
  s: ItemStatus,
  progress: ItemProgress,
  today: string,
  locale: Locale,
) => ChartSpec | undefined;

/** The item's trend: actual against the 序时 plan, the target, and the forecast dashed to the period's end. */
export const itemTrendSpec: TrendSpecFn = (s, progress, today, locale) =>
  trendChart(s, progress, s.forecast, today, locale);

/** Notes a click as seen, unless it was already; answers whether this delivery is the first. */
async function firstDelivery(store: WritePort, key: string, nowMs: number): Promise<boolean> {
  const { result } = await store.transact((tx) => {
    if ((own(tx.state.seen.events, key) ?? 0) > nowMs) return false;
    tx.bookkeep((s) => ({ seen: { ...s.seen, events: setEntry(s.seen.events, key, nowMs + SEEN_EVENT_MS) } }));
    return true;
  });
  return result;
}

/** Forgets a click, so the same click delivered again may try again. */
async function forgetDelivery(store: WritePort, key: string): Promise<void> {
  await store.transact((tx) => tx.bookkeep((s) => ({ seen: { ...s.seen, events: deleteEntry(s.seen.events, key) } })));
}

export function registerCharts(router: Router, deps: ListenerDeps, trendSpec: TrendSpecFn = itemTrendSpec): void {
  router.action(TREND_CHART, async ({ ack, action, body, client, respond }) => {
    await ack();
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const m = messages(locale).chartPost;
    // From App Home there is no response_url: the chart in the DM is the whole answer there.
    const tell = async (text: string) => {
      if ('response_url' in body && body.response_url)
        await respond({ response_type: 'ephemeral', replace_original: false, text });
    };
    const ctx = deps.readContext(userId, locale);
    const subject = trendSubject('value' in action && typeof action.value === 'string' ? action.value : '', ctx);
    if (subject.kind === 'gone') return tell(subject.text);
    const spec = trendSpec(subject.status, subject.progress, ctx.today, locale);
    if (!spec) return tell(noTrendText(subject, ctx));
    const clickTs = 'action_ts' in action ? action.action_ts : ('trigger_id' in body ? body.trigger_id : '') || '';
    const key = `trend:${userId}:${clickTs}`;
    if (!(await firstDelivery(deps.store, key, deps.clock().getTime()))) {
      deps.logger.info({ key }, 'the same 趋势图 click again; sent once already');
      return;
    }
    try {
      const image = await deps.charts.render(spec);
      await uploadToDm(client, userId, [chartFile(image)], m.trendComment(subject.name, subject.number));
    } catch (e) {
      // Forgotten, so the same click delivered again may try again; the error sink apologises.
      await forgetDelivery(deps.store, key);
      throw e;
    }
    await tell(m.trendSent);
  });
}
