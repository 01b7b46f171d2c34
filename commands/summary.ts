/**
 * /duban summary [department]: a short summary of a department's (or the zone's) progress. Written by
 * the model when an admin has turned it on for that department, by rules otherwise; either way it
 * says who wrote it, and lists the original reports it rests on, which are always kept.
 */
import { formatDate, messages } from '../src/i18n/index.ts';
import type { CommandContext } from './context.ts';
import { asOfContext, emptyStoreReply, reporterName } from './format.ts';
import { digestRequest, type OriginalRef, rulesAssistant } from './llm-digest.ts';
import type { Authored } from './llm-port.ts';
import { joinMd, type Mrkdwn, md, type Reply, type ReplyBlock } from './reply.ts';
import { lookupDepartment } from './views.ts';

const ORIGINALS_SHOWN = 8;

/** "🤖 由模型（qwen2.5）撰写，仅供参考" or "📋 按规则自动汇总" — every machine text says who wrote it. */
export function authorLabel(author: Authored, locale: CommandContext['locale']): Mrkdwn {
  const m = messages(locale).llm;
  return author.by === 'model' ? md`${m.machineLabel(author.model)}` : md`${m.rulesLabel}`;
}

/** The original reports, newest first: list number, date, reporter and the beginning of the note. */
export function originalsBlock(originals: readonly OriginalRef[], ctx: CommandContext): ReplyBlock {
  const m = messages(ctx.locale).llm;
  if (originals.length === 0) return { type: 'context', elements: [md`${m.noUpdates}`] };
  const lines = originals.slice(0, ORIGINALS_SHOWN).map((o) => {
    const head = m.originalRef(o.ref, formatDate(o.date, ctx.locale, ctx.today), reporterName(o.by, ctx.locale));
    const note = o.note.length > 120 ? `${o.note.slice(0, 119)}…` : o.note;
    return md`• \`${head}\` ${note}`;
  });
  return { type: 'section', text: joinMd([md`*${m.originals}*`, ...lines]) };
}

export async function summaryReply(query: string, ctx: CommandContext): Promise<Reply> {
  const m = messages(ctx.locale).llm;
  if (ctx.model.db.departments.length === 0) return emptyStoreReply(ctx.locale);
  let departmentId: string | undefined;
  if (query) {
    const found = lookupDepartment(query, ctx, messages(ctx.locale).examples.summary, true);
    if (found.kind !== 'one') return found.kind === 'reply' ? found.reply : emptyStoreReply(ctx.locale);
    departmentId = found.department.id;
  }
  const { request, originals } = digestRequest(ctx.model, ctx.today, ctx.locale, departmentId);
  // The model assistant answers by rules itself when it is off, open-circuited or failing.
  const summary = await (ctx.assistant ?? rulesAssistant).summarise(request);
  const title = m.summaryTitle(request.scope);
  return {
    text: `${title}: ${summary.text}`,
    blocks: [
      { type: 'header', text: title },
      asOfContext(ctx),
      { type: 'context', elements: [authorLabel(summary, ctx.locale)] },
      { type: 'section', text: md`${summary.text}` },
      { type: 'divider' },
      originalsBlock(originals, ctx),
    ],
    visibility: 'in_channel',
    ...(departmentId ? { about: { departmentId } } : {}),
  };
}
