/**
 * 免佐证销号: the supervision office closes a claim of done that came without the evidence it needs.
 * Admins only; recorded as a done report marked `evidenceWaived` (shown in the audit trail).
 */
import { readWaiveValue, WAIVE } from '../../../commands/evidence.ts';
import { md, type Reply, trusted } from '../../../commands/reply.ts';
import { logReport } from '../../../commands/reporting/index.ts';
import { messages, pick } from '../../i18n/index.ts';
import { renderMessage } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';
import type { Router } from '../router.ts';

export function registerEvidence(router: Router, deps: ListenerDeps): void {
  router.action(WAIVE, async (args) => {
    await args.ack();
    const userId = args.body.user.id;
    const locale = await deps.locale(userId);
    const hasUrl = 'response_url' in args.body && !!args.body.response_url;
    const say = async (text: string) => {
      if (hasUrl) await args.respond({ response_type: 'ephemeral', replace_original: false, text });
    };
    const ctx = await deps.context(userId, locale);
    if (!ctx.isAdmin) return say(messages(locale).admin.adminsOnly);
    const value = readWaiveValue(
      'value' in args.action && typeof args.action.value === 'string' ? args.action.value : '',
    );
    const found = value && ctx.model.item(value.i);
    if (!value || !found) return say(messages(locale).errors.expired);
    // A second click, or a claim closed since: nothing more to record.
    const state = ctx.model.progress.get(found.item.id)?.state;
    if (state === 'done') return say(messages(locale).evidence.alreadyDone(pick(found.item.name, locale)));
    const result = await logReport(
      {
        itemId: found.item.id,
        fields: { state: 'done' },
        ...(value.n ? { note: value.n } : {}),
        evidence: [],
        source: 'slack',
        waived: true,
      },
      ctx,
    );
    if (result.kind !== 'logged') return;
    const line = messages(locale).evidence.waived(pick(found.item.name, locale));
    const reply: Reply = {
      text: line,
      blocks: [{ type: 'section', text: trusted(`${md`✅ ${line}`.mrkdwn} <@${userId}>`) }],
      visibility: 'in_channel',
    };
    if (hasUrl) await args.respond({ replace_original: true, ...renderMessage(reply, locale) });
  });
}
