/**
 * App Home by role. The supervision office sees what waits for it (复核, 延期, publications), the zone
 * with the ranking chart and the latest bulletin; a department's people see their week and their items
 * with report buttons; a leader sees the chart, the top risks and the targets forecast to miss. Someone
 * with several roles sees one at a time, with buttons to switch; someone with none sees the zone.
 */
import { isBehind } from '../src/domain/status.ts';
import { messages, pick } from '../src/i18n/index.ts';
import type { CommandContext } from './context.ts';
import { asOfContext, departmentSection, emptyStoreReply, itemSection } from './format.ts';
import { chooseRole, departmentsOf, HOME_ROLES, type HomeRole, homeRoles } from './home/roles.ts';
import {
  departmentBlocks,
  departmentLines,
  forecastMissBlocks,
  inboxBlocks,
  latestBulletinBlock,
  riskBlocks,
  zoneHeadBlock,
} from './home/sections.ts';
import { md, type Reply, type ReplyBlock, trusted } from './reply.ts';

export { forecastMisses } from './home/forecast.ts';
export { type HomeRole, homeRoles } from './home/roles.ts';

/** The switcher's buttons: one action id per role, one handler for them all (src/slack/home-refresh.ts). */
export const HOME_ROLE_ACTION = 'duban.home.role';

const BEHIND_ITEMS = 8;
const DEPARTMENTS = 25;
/** A liaison of more departments than this sees the first ones and the command for the rest. */
const OWN_DEPARTMENTS = 2;

export type HomeView = {
  reply: Reply;
  /** The role shown, when the user has one. */
  role?: HomeRole;
  /** Where the ranking chart goes: after this many of the reply's blocks; absent, no chart. */
  chartAfter?: number;
};

/** The Home view of the user in `ctx` (who is an admin is in ctx.isAdmin), in the role asked for when they have it. */
export function homeView(ctx: CommandContext, wanted?: HomeRole): HomeView {
  const m = messages(ctx.locale);
  const { db } = ctx.model;
  if (db.departments.length === 0) return { reply: emptyStoreReply(ctx.locale) };
  const roles = homeRoles(ctx.model, ctx.userId, ctx.isAdmin ?? false);
  const role = chooseRole(roles, wanted);
  const title = m.home.title(pick(db.meta.zone, ctx.locale));
  const blocks: ReplyBlock[] = [{ type: 'header', text: title }, asOfContext(ctx)];
  if (roles.length > 1 && role) {
    blocks.push(
      { type: 'context', elements: [md`${m.home.viewing(m.home.role[role])}`] },
      {
        type: 'actions',
        buttons: HOME_ROLES.filter((r) => r !== role && roles.includes(r)).map((r) => ({
          text: m.home.role[r],
          actionId: `${HOME_ROLE_ACTION}.${r}`,
          value: r,
        })),
      },
    );
  }
  let chartAfter: number | undefined;
  switch (role) {
    case 'office':
      blocks.push(...inboxBlocks(ctx), { type: 'divider' }, zoneHeadBlock(ctx));
      chartAfter = blocks.length;
      blocks.push(departmentLines(ctx), { type: 'divider' }, latestBulletinBlock(ctx));
      break;
    case 'leader':
      blocks.push(zoneHeadBlock(ctx));
      chartAfter = blocks.length;
      blocks.push(
        { type: 'divider' },
        ...riskBlocks(ctx),
        { type: 'divider' },
        ...forecastMissBlocks(ctx),
        { type: 'divider' },
        latestBulletinBlock(ctx),
      );
      break;
    case 'liaison': {
      const mine = departmentsOf(ctx.model, ctx.userId);
      for (const d of mine.slice(0, OWN_DEPARTMENTS)) blocks.push(...departmentBlocks(d, ctx), { type: 'divider' });
      if (mine.length > OWN_DEPARTMENTS)
        blocks.push({
          type: 'context',
          elements: [md`${m.home.itemsMore(mine.length - OWN_DEPARTMENTS, '/duban status')}`],
        });
      // Where the department stands among the others, a line each; the zone in detail is the office's.
      blocks.push(zoneHeadBlock(ctx), departmentLines(ctx));
      break;
    }
    case undefined:
      blocks.push(...zoneBlocks(ctx));
      break;
  }
  blocks.push({ type: 'context', elements: [trusted(m.home.hint)] });
  return {
    reply: { text: title, blocks, visibility: 'in_channel' },
    ...(role ? { role } : {}),
    ...(chartAfter !== undefined ? { chartAfter } : {}),
  };
}

/** The zone for everyone: each department ranked, then what needs attention. */
function zoneBlocks(ctx: CommandContext): ReplyBlock[] {
  const m = messages(ctx.locale);
  const rollup = ctx.model.rollup(ctx.today);
  const blocks: ReplyBlock[] = [zoneHeadBlock(ctx)];
  for (const r of rollup.departments.slice(0, DEPARTMENTS)) blocks.push(departmentSection(r, ctx));
  const behind = rollup.behind.filter(isBehind).slice(0, BEHIND_ITEMS);
  if (behind.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'section', text: md`*${m.home.behind}*` });
    for (const s of behind) blocks.push(itemSection(s, ctx, { owner: true }));
  }
  return blocks;
}

/** The Home as a plain reply (the console's `home`): the first role's view, without the chart. */
export function homeReply(ctx: CommandContext): Reply {
  return homeView(ctx).reply;
}
