/**
 * Replies in the threads of duban's messages are progress reports: logged exactly once (by event id
 * and by message), confirmed with ✅ and a reply in the thread. Editing the reply edits the entry;
 * deleting it retracts the entry. Files shared in the thread are kept as evidence (佐证).
 */

import { editFromMessage, retractMessage } from '../../../commands/corrections.ts';
import { effectsOfReport } from '../../../commands/index.ts';
import { logReportFromThread, type ReportOutcome, threadCandidates } from '../../../commands/reporting/index.ts';
import { messageKey } from '../../domain/delivery.ts';
import { own } from '../../domain/lookup.ts';
import type { Evidence } from '../../domain/schema.ts';
import type { ListenerDeps } from '../context.ts';
import { deliver } from '../deliver.ts';
import { performEffects } from '../effects.ts';
import type { Router } from '../router.ts';

type SlackFile = { id?: string; name?: string; title?: string; permalink?: string; url_private?: string };
type MessageEvent = {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  files?: SlackFile[];
  message?: { user?: string; text?: string; ts: string; thread_ts?: string; bot_id?: string; files?: SlackFile[] };
  previous_message?: { user?: string; ts: string; thread_ts?: string };
  deleted_ts?: string;
};

export function filesAsEvidence(files: readonly SlackFile[] | undefined): Evidence[] {
  return (files ?? [])
    .filter((f) => (f.permalink ?? f.url_private)?.startsWith('https://') && (!f.id || /^F[A-Z0-9]{2,}$/.test(f.id)))
    .slice(0, 20)
    .map((f) => ({
      kind: 'file' as const,
      url: (f.permalink ?? f.url_private)!,
      ...(f.name || f.title ? { name: (f.name ?? f.title)!.slice(0, 200) } : {}),
      ...(f.id ? { fileId: f.id } : {}),
    }));
}

export function registerMessages(router: Router, deps: ListenerDeps): void {
  router.event('message', async ({ event, body, client, context }) => {
    const e = event as unknown as MessageEvent;
    const botUserId = context.botUserId;

    if (e.subtype === 'message_changed' && e.message) {
      const author = e.message.user;
      if (!author || e.message.bot_id || author === botUserId || !e.message.thread_ts) return;
      const locale = await deps.locale(author);
      const ctx = await deps.context(author, locale);
      const outcome = await editFromMessage({ channel: e.channel, ts: e.message.ts }, e.message.text ?? '', ctx);
      if (outcome.kind === 'corrected')
        await deliver(client, deps, outcome.reply, locale, { channel: e.channel, threadTs: e.message.thread_ts });
      return;
    }
    if (e.subtype === 'message_deleted' && e.previous_message) {
      const author = e.previous_message.user;
      const threadTs = e.previous_message.thread_ts;
      if (!author || author === botUserId || !threadTs) return;
      const locale = await deps.locale(author);
      const ctx = await deps.context(author, locale);
      const outcome = await retractMessage({ channel: e.channel, ts: e.deleted_ts ?? e.previous_message.ts }, ctx);
      if (outcome.kind === 'corrected')
        await deliver(client, deps, outcome.reply, locale, { channel: e.channel, threadTs });
      return;
    }
    // Only people's replies in threads: no bots (duban included), no joins, topics or other subtypes.
    if (e.subtype !== undefined && e.subtype !== 'file_share' && e.subtype !== 'thread_broadcast') return;
    if (!e.user || e.bot_id || e.user === botUserId || !e.thread_ts || e.thread_ts === e.ts) return;
    // A mention of duban in a thread is a question, answered by the app_mention listener.
    if (botUserId && e.text?.includes(`<@${botUserId}`)) return;
    const about = own(deps.store.model().db.threads, messageKey({ channel: e.channel, ts: e.thread_ts }));
    if (!about) return;

    const locale = await deps.locale(e.user);
    const ctx = await deps.context(e.user, locale);
    const candidates = threadCandidates(ctx.model, about);
    const message = { channel: e.channel, ts: e.ts, threadTs: e.thread_ts };
    const outcome: ReportOutcome = await logReportFromThread(
      {
        text: e.text ?? '',
        candidates,
        evidence: filesAsEvidence(e.files),
        source: 'slack',
        message,
        ...(body.event_id ? { eventId: body.event_id } : {}),
      },
      ctx,
    );
    if (outcome.kind === 'duplicate') {
      deps.logger.info({ eventId: body.event_id, message: messageKey(message) }, 'duplicate delivery ignored');
      return;
    }
    if (outcome.kind === 'ignored') return;
    const where = { channel: e.channel, threadTs: e.thread_ts, userId: e.user };
    await deliver(client, deps, outcome.reply, locale, where);
    // The note is stored and answered; then its ✅, a review request, and the model's proposal in the thread (counted only once clicked).
    await performEffects(client, deps, effectsOfReport(outcome, ctx, 'thread'), {
      userId: e.user,
      locale,
      answeredAt: where,
    });
  });
}
