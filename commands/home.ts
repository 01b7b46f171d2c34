/** The App Home dashboard: the reader's own department first, then the zone and what needs attention. */
import { isBehind } from '../src/domain/status.ts';
import { messages, pick } from '../src/i18n/index.ts';
import type { CommandContext } from './context.ts';
import { asOfContext, countsText, departmentName, departmentSection, emptyStoreReply, itemSection } from './format.ts';
import { md, type Reply, type ReplyBlock, trusted } from './reply.ts';

const OWN_ITEMS = 8;
const BEHIND_ITEMS = 8;
const DEPARTMENTS = 25;

export function homeReply(ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  const { db } = ctx.model;
  if (db.departments.length === 0) return emptyStoreReply(ctx.locale);
  const rollup = ctx.model.rollup(ctx.today);
  const title = m.home.title(pick(db.meta.zone, ctx.locale));
  const blocks: ReplyBlock[] = [{ type: 'header', text: title }, asOfContext(ctx)];

  const mine = ctx.userId
    ? rollup.departments.find(
        (r) => r.department.memberIds.includes(ctx.userId!) || r.department.leadIds.includes(ctx.userId!),
      )
    : undefined;
  if (mine) {
    blocks.push({
      type: 'section',
      text: md`*${m.home.yourDept(departmentName(mine.department, ctx.locale))}*　${m.list.rank(mine.rank)}　${countsText(mine.counts, ctx.locale)}`,
    });
    for (const s of mine.items.slice(0, OWN_ITEMS)) blocks.push(itemSection(s, ctx));
    blocks.push({ type: 'divider' });
  }

  blocks.push({ type: 'section', text: md`*${m.home.zone}*　${countsText(rollup.counts, ctx.locale)}` });
  for (const r of rollup.departments.slice(0, DEPARTMENTS)) blocks.push(departmentSection(r, ctx));
  const behind = rollup.behind.filter(isBehind).slice(0, BEHIND_ITEMS);
  if (behind.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'section', text: md`*${m.home.behind}*` });
    for (const s of behind) blocks.push(itemSection(s, ctx, { owner: true }));
  }
  blocks.push({ type: 'context', elements: [trusted(m.home.hint)] });
  return { text: title, blocks, visibility: 'in_channel' };
}
