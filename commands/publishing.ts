/**
 * Preview → approve → publish (审核发布) of the bulletin and the monthly report. A preview goes to the
 * supervision channel (or each admin) with 批准发布 / 退回; approving posts exactly what was previewed to
 * the bulletin channel. Every step is a `publication` journal event (shown in /duban audit); a second
 * click finds the publication already decided. Nothing here knows Slack: posting is a function passed in.
 */
import type { PublicationContent, PublicationKind } from '../src/domain/journal.ts';
import { own } from '../src/domain/lookup.ts';
import type { ReadModel } from '../src/domain/read-model.ts';
import { rollupZone } from '../src/domain/rollup.ts';
import type { PublicationRecord } from '../src/domain/state.ts';
import type { Status } from '../src/domain/status.ts';
import { type Locale, messages } from '../src/i18n/index.ts';
import type { WriteContext } from './context.ts';
import { md, type Reply, type ReplyBlock, trusted } from './reply.ts';

export const PUBLISH_APPROVE = 'duban.publish.approve';
export const PUBLISH_RETURN = 'duban.publish.return';
export const PUBLISH_RETURN_FORM = 'duban.publish.return';

/** Room for the preview's own header, note and buttons within Slack's 50 blocks. */
const CONTENT_BLOCKS = 46;

/** One id per preview: the run's slot, and the month for a monthly report. */
export function publicationId(kind: PublicationKind, period: string, slot: string): string {
  return (kind === 'monthly' ? `${slot}:${period}` : slot).slice(0, 80);
}

export function contentOf(reply: Reply): PublicationContent {
  return { text: reply.text.slice(0, 4000), blocks: reply.blocks.slice(0, CONTENT_BLOCKS) };
}

/** A stored preview as a reply again: plain data written by duban (commands/reply.ts), already escaped. */
export function replyOfContent(content: PublicationContent): Reply {
  return { text: content.text, blocks: content.blocks as ReplyBlock[], visibility: 'in_channel' };
}

/** The preview the office sees: what would be published, with 批准发布 and 退回. */
export function previewReply(kind: PublicationKind, content: Reply, id: string, locale: Locale): Reply {
  const m = messages(locale).scoring;
  return {
    text: `${m.preview[kind]} ${content.text}`,
    blocks: [
      { type: 'context', elements: [md`*${m.preview[kind]}* · ${m.previewNote}`] },
      ...content.blocks.slice(0, CONTENT_BLOCKS),
      {
        type: 'actions',
        buttons: [
          { text: m.approve, actionId: PUBLISH_APPROVE, value: id, style: 'primary' },
          { text: m.sendBack, actionId: PUBLISH_RETURN, value: id, style: 'danger' },
        ],
      },
    ],
    visibility: 'in_channel',
  };
}

/** Where a preview goes: the supervision channel, or each admin directly. */
export function previewTargets(model: ReadModel, admins: readonly string[]): string[] {
  const channel = model.db.settings.supervisionChannelId;
  return channel ? [channel] : [...admins];
}

/** Where an approved publication goes: the bulletin channel, or the supervision channel. */
export function publishChannel(model: ReadModel): string | undefined {
  return model.db.settings.schedule.bulletinChannelId ?? model.db.settings.supervisionChannelId;
}

/** The published monthly report of a month, if any. */
export function publishedMonthly(model: ReadModel, month: string): PublicationRecord | undefined {
  return Object.values(model.db.publications)
    .filter((p) => p.kind === 'monthly' && p.period === month && p.status === 'published' && p.content)
    .sort((a, b) => (a.at < b.at ? 1 : -1))[0];
}

export type PublishOutcome =
  | { kind: 'not_admin' }
  | { kind: 'gone' }
  | { kind: 'no_channel' }
  | { kind: 'decided'; record: PublicationRecord }
  /** A newer preview of the same bulletin or month came since: only the latest may be published. */
  | { kind: 'superseded' }
  /** `published`: where an approved publication went, to put its chart in the thread. */
  | { kind: 'done'; reply: Reply; published?: { channel: string; ts: string; record: PublicationRecord } };

const deliveryKey = (id: string) => `publish:${id}`;

function whatOf(record: Pick<PublicationRecord, 'kind' | 'period'>, locale: Locale): string {
  const m = messages(locale).scoring;
  const period = record.kind === 'monthly' ? m.month(record.period) : record.period;
  return `${m.kind[record.kind]}${messages(locale).format.parens(period)}`;
}

/** Says a publication was decided already, and how. */
export function alreadyDecided(record: PublicationRecord, locale: Locale): string {
  const m = messages(locale).scoring;
  return m.decided(whatOf(record, locale), m.status[record.status]);
}

/**
 * Approves and publishes once: the approval is recorded, the stored preview is posted to the bulletin
 * channel (marked sending, then sent, in the delivery bookkeeping), and the publication recorded with
 * where it went. An approval whose post failed may be clicked again; anything else decided is left as it is.
 */
export async function approveAndPublish(
  id: string,
  ctx: WriteContext,
  post: (channel: string, reply: Reply) => Promise<{ channel: string; ts: string }>,
): Promise<PublishOutcome> {
  if (!ctx.isAdmin) return { kind: 'not_admin' };
  const channel = publishChannel(ctx.model);
  const { result } = await ctx.store.transact((tx) => {
    const record = own(tx.state.publications, id);
    if (!record?.content) return { kind: 'gone' as const };
    const retry = record.status === 'approved' && own(tx.state.deliveries, deliveryKey(id))?.status === 'failed';
    if (record.status !== 'pending' && !retry) return { kind: 'decided' as const, record };
    const newer = Object.entries(tx.state.publications).some(
      ([other, p]) =>
        other !== id &&
        p.kind === record.kind &&
        (record.kind === 'bulletin' || p.period === record.period) &&
        p.at > record.at,
    );
    if (newer && !retry) return { kind: 'superseded' as const };
    if (!channel) return { kind: 'no_channel' as const };
    if (!retry)
      tx.append({
        type: 'publication',
        at: ctx.now.toISOString(),
        by: ctx.userId,
        id,
        kind: record.kind,
        step: 'approved',
        period: record.period,
      });
    tx.bookkeep((s) => ({
      deliveries: { ...s.deliveries, [deliveryKey(id)]: { status: 'sending', at: ctx.now.toISOString() } },
    }));
    return { kind: 'ok' as const, record };
  });
  if (result.kind !== 'ok') return result;
  const { record } = result;
  let posted: { channel: string; ts: string };
  try {
    posted = await post(channel!, replyOfContent(record.content!));
  } catch (e) {
    await ctx.store.transact((tx) =>
      tx.bookkeep((s) => ({
        deliveries: {
          ...s.deliveries,
          [deliveryKey(id)]: { status: 'failed', at: ctx.now.toISOString(), error: String(e).slice(0, 300) },
        },
      })),
    );
    throw e;
  }
  await ctx.store.transact((tx) => {
    const at = ctx.now.toISOString();
    tx.append({
      type: 'publication',
      at,
      by: ctx.userId,
      id,
      kind: record.kind,
      step: 'published',
      period: record.period,
      channel: posted.channel,
      ts: posted.ts,
    });
    // The bulletin published becomes the last one, which the next says what changed since.
    if (record.kind === 'bulletin' && record.snapshot)
      tx.append({
        type: 'bulletin',
        at,
        by: ctx.userId,
        slot: record.slot ?? id,
        channel: posted.channel,
        ts: posted.ts,
        date: record.period,
        snapshot: record.snapshot,
      });
    tx.bookkeep((s) => ({
      deliveries: {
        ...s.deliveries,
        [deliveryKey(id)]: { status: 'sent', at, channel: posted.channel, ts: posted.ts },
      },
    }));
  });
  const m = messages(ctx.locale).scoring;
  const what = whatOf(record, ctx.locale);
  // User and channel ids come from Slack's own payloads and replies.
  const line = trusted(
    `${md`${m.approvedBy(what)}`.mrkdwn} <@${ctx.userId}> · ${md`${m.publishedIn(what)}`.mrkdwn}<#${posted.channel}>`,
  );
  return {
    kind: 'done',
    reply: { text: m.approvedBy(what), blocks: [{ type: 'section', text: line }], visibility: 'in_channel' },
    published: { channel: posted.channel, ts: posted.ts, record },
  };
}

/** Sends a pending preview back with a reason, once. */
export async function returnPublication(id: string, reason: string, ctx: WriteContext): Promise<PublishOutcome> {
  if (!ctx.isAdmin) return { kind: 'not_admin' };
  const { result } = await ctx.store.transact((tx) => {
    const record = own(tx.state.publications, id);
    if (!record) return { kind: 'gone' as const };
    if (record.status !== 'pending') return { kind: 'decided' as const, record };
    tx.append({
      type: 'publication',
      at: ctx.now.toISOString(),
      by: ctx.userId,
      id,
      kind: record.kind,
      step: 'returned',
      period: record.period,
      reason: reason.slice(0, 1000),
    });
    return { kind: 'ok' as const, record };
  });
  if (result.kind !== 'ok') return result;
  const m = messages(ctx.locale).scoring;
  const what = whatOf(result.record, ctx.locale);
  const line = trusted(`${md`${m.returnedBy(what, reason)}`.mrkdwn} <@${ctx.userId}>`);
  return {
    kind: 'done',
    reply: { text: m.returnedBy(what, reason), blocks: [{ type: 'section', text: line }], visibility: 'in_channel' },
  };
}

/**
 * The departments ranked as the bulletin's preview had them: every item at the status it had then
 * (the preview's snapshot), so the chart published with it shows the figures the office approved.
 */
export function rollupAsPreviewed(model: ReadModel, snapshot: Readonly<Record<string, Status>>, today: string) {
  const evaluation = model.evaluate(today);
  const tracked = evaluation.tracked.flatMap((s) => {
    const status = own(snapshot, s.item.id);
    return status === undefined ? [] : [{ ...s, status }];
  });
  return rollupZone(model.db.departments, { ...evaluation, tracked });
}

/** Whether a publication can still be sent back (the form is not opened for one decided already). */
export function publicationState(model: ReadModel, id: string): PublicationRecord | undefined {
  return own(model.db.publications, id);
}
