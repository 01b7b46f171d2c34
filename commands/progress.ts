/** /progress <item> <value|percent|status> [note]; /progress alone, or with an item only, opens the form. */

import { messages } from '../src/i18n/index.ts';
import { plainText } from './args.ts';
import { type CommandContext, canWrite } from './context.ts';
import { type Effect, effectsOfReport } from './effects.ts';
import { MAX_QUERY_LENGTH, usageReply } from './format.ts';
import { helpReply } from './help.ts';
import type { Reply } from './reply.ts';
import { askQuestion, logReportFromText, replyOf, resolveItem } from './reporting/index.ts';
import { tooLongReply } from './targets.ts';

export async function runProgress(raw: string, ctx: CommandContext): Promise<{ reply?: Reply; effects: Effect[] }> {
  const m = messages(ctx.locale).progress;
  if (raw.length > MAX_QUERY_LENGTH * 20)
    return { reply: tooLongReply(ctx, messages(ctx.locale).examples.progress), effects: [] };
  const text = plainText(raw);
  if (/^(help|帮助|\?|？)$/i.test(text)) return { reply: helpReply('progress', ctx.locale), effects: [] };
  if (!text) return { effects: [{ type: 'open_form' }] };
  if (!canWrite(ctx))
    return {
      reply: usageReply(messages(ctx.locale).admin.readOnly, messages(ctx.locale).examples.progress, ctx.locale),
      effects: [],
    };
  const [first = '', ...rest] = text.split(' ');
  const found = resolveItem(ctx.model, first);
  if (found.kind === 'none')
    return {
      reply: usageReply(m.noSuchItem(first.slice(0, 60)), messages(ctx.locale).examples.progress, ctx.locale),
      effects: [],
    };
  const note = rest.join(' ');
  if (found.kind === 'many') {
    const reply = await askQuestion(
      {
        userId: ctx.userId,
        text: note,
        itemIds: found.items.slice(0, 10).map((i) => i.id),
        options: [],
        evidence: [],
        source: 'command',
      },
      m.whichItem,
      ctx,
    );
    return { reply: { ...reply, visibility: 'ephemeral' }, effects: [] };
  }
  if (!note) return { effects: [{ type: 'open_form', itemId: found.item.id }] };
  const outcome = await logReportFromText(found.item, note, { evidence: [], source: 'command' }, ctx);
  const reply = replyOf(outcome);
  return {
    ...(reply ? { reply: outcome.kind === 'asked' ? { ...reply, visibility: 'ephemeral' } : reply } : {}),
    effects: effectsOfReport(outcome, ctx, 'command'),
  };
}
