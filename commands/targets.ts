/** /targets [department|keyword]: targets with their status against plan. */
import { findItemById, searchItems } from '../src/domain/match.ts';
import type { Target } from '../src/domain/schema.ts';
import { messages, pick } from '../src/i18n/index.ts';
import { parseQuery, type QueryArgs } from './args.ts';
import type { CommandContext } from './context.ts';
import { MAX_QUERY_LENGTH, departmentName, emptyStoreReply, usageReply } from './format.ts';
import { helpReply } from './help.ts';
import type { Reply } from './reply.ts';
import { detailReply, listReply, lookupDepartment, notFoundReply, overviewReply, ownedBy } from './views.ts';

export const EXAMPLE = '/targets 住建局';

export const targets = {
  name: '/targets',
  parse: parseQuery,
  run(args: QueryArgs, ctx: CommandContext): Reply {
    const m = messages(ctx.locale);
    if (args.help) return helpReply('targets', ctx.locale);
    const { db } = ctx.model;
    if (db.targets.length === 0 && db.departments.length === 0) return emptyStoreReply(ctx.locale);
    const evaluation = ctx.model.evaluate(ctx.today);
    const zone = pick(db.meta.zone, ctx.locale);
    if (!args.query) return overviewReply(m.targets.overviewTitle(zone), evaluation, 'targets', ctx, '/targets', args.page);

    const byId = findItemById(db.targets, args.query);
    if (byId) return detailReply(evaluation.byId.get(byId.id)!, ctx);
    const dept = lookupDepartment(args.query, ctx, EXAMPLE, false);
    if (dept.kind === 'reply') return dept.reply;
    if (dept.kind === 'one') {
      const name = departmentName(dept.department, ctx.locale);
      return listReply(
        {
          title: m.targets.deptTitle(name),
          statuses: ownedBy(evaluation.targets, dept.department.id),
          command: '/targets',
          text: args.query,
          page: args.page,
          showOwner: false,
          emptyText: m.targets.deptNone(name),
          about: { departmentId: dept.department.id },
        },
        ctx,
      );
    }
    const found = searchItems<Target>(db.targets, args.query);
    if (found.length === 1) return detailReply(evaluation.byId.get(found[0]!.id)!, ctx);
    if (found.length === 0) return notFoundReply(args.query, ctx, EXAMPLE);
    const statuses = found.map((t) => evaluation.byId.get(t.id)!);
    return listReply(
      { title: m.targets.searchTitle(args.query), statuses, command: '/targets', text: args.query, page: args.page, showOwner: true, emptyText: m.targets.none(args.query) },
      ctx,
    );
  },
};

export function tooLongReply(ctx: CommandContext, example: string): Reply {
  return usageReply(messages(ctx.locale).errors.tooLong(MAX_QUERY_LENGTH), example, ctx.locale);
}
