/**
 * `/duban leader add|remove @person`, `/duban leader list` (`领导`): the leaders (领导) an admin names,
 * whose App Home leads with the ranking chart, the top risks and the targets forecast to miss. Kept in
 * the settings (`settings.leaderIds`); every change is a `settings` event, so /duban audit says who did it.
 */
import { messages } from '../src/i18n/index.ts';
import type { CommandContext } from './context.ts';
import { canWrite } from './context.ts';
import { usageReply } from './format.ts';
import { md, type Reply, trusted } from './reply.ts';

export const LEADER_WORDS = ['leader', 'leaders', '领导'] as const;

const USER = /<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>|\b([UW][A-Z0-9]{8,})\b/;
const CHANGES: Record<string, 'add' | 'remove' | 'list'> = {
  add: 'add',
  添加: 'add',
  设置: 'add',
  remove: 'remove',
  移除: 'remove',
  删除: 'remove',
  list: 'list',
  列表: 'list',
};

export type LeaderArgs =
  | { change: 'add' | 'remove'; userId?: string }
  | { change: 'list' }
  | { change: 'unknown'; word: string };

/** Reads what follows `/duban leader` in Slack's raw text (mentions are `<@U…>`). */
export function parseLeader(rawRest: string): LeaderArgs {
  const rest = rawRest.trim();
  const user = USER.exec(rest);
  const userId = user ? (user[1] ?? user[2]) : undefined;
  const word = rest.replace(USER, ' ').trim().split(/\s+/)[0] ?? '';
  if (!word) return userId ? { change: 'unknown', word: '' } : { change: 'list' };
  const change = Object.hasOwn(CHANGES, word.toLowerCase()) ? CHANGES[word.toLowerCase()] : undefined;
  if (!change) return { change: 'unknown', word: word.slice(0, 40) };
  if (change === 'list') return { change };
  return { change, ...(userId ? { userId } : {}) };
}

export async function runLeader(args: LeaderArgs, ctx: CommandContext): Promise<Reply> {
  const m = messages(ctx.locale);
  const l = m.home.leaders;
  if (args.change === 'unknown') return usageReply(l.badChange(args.word), l.example, ctx.locale);
  if (args.change === 'list') {
    const ids = ctx.model.db.settings.leaderIds;
    // Ids in the store were validated as Slack user ids: safe to render as mentions.
    const text = ids.length
      ? trusted(`*${md`${l.title}`.mrkdwn}*　${ids.map((u) => `<@${u}>`).join(' ')}`)
      : md`${l.none}`;
    return { text: l.title, blocks: [{ type: 'section', text }], visibility: 'ephemeral' };
  }
  if (!canWrite(ctx)) return usageReply(m.admin.readOnly, l.example, ctx.locale);
  if (!ctx.isAdmin) return usageReply(m.admin.adminsOnly, l.example, ctx.locale);
  if (!args.userId) return usageReply(l.needUser, l.example, ctx.locale);
  const userId = args.userId;
  const change = args.change;
  const { result: changed } = await ctx.store.transact((tx) => {
    const before = tx.state.settings;
    const has = before.leaderIds.includes(userId);
    if (has === (change === 'add')) return false;
    const leaderIds = change === 'add' ? [...before.leaderIds, userId] : before.leaderIds.filter((u) => u !== userId);
    tx.append({
      type: 'settings',
      at: ctx.now.toISOString(),
      by: ctx.userId,
      before,
      after: { ...before, leaderIds },
    });
    return true;
  });
  const said = !changed ? (change === 'add' ? l.already : l.notLeader) : change === 'add' ? l.added : l.removed;
  // The id was read from Slack's own mention markup by the pattern above.
  return {
    text: said,
    blocks: [{ type: 'section', text: trusted(`<@${userId}> ${md`${said}`.mrkdwn}`) }],
    visibility: 'ephemeral',
  };
}
