/** /projects [department|category|keyword]: projects with percent done and milestones. */
import { findItemById, normalize, projectCategories, searchItems } from '../src/domain/match.ts';
import type { Project } from '../src/domain/schema.ts';
import { messages, pick } from '../src/i18n/index.ts';
import { parseQuery, type QueryArgs } from './args.ts';
import type { CommandContext } from './context.ts';
import { departmentName, emptyStoreReply } from './format.ts';
import { helpReply } from './help.ts';
import type { Reply } from './reply.ts';
import { detailReply, listReply, lookupDepartment, notFoundReply, overviewReply, ownedBy } from './views.ts';

export const EXAMPLE = '/projects 城市更新';

export const projects = {
  name: '/projects',
  parse: parseQuery,
  run(args: QueryArgs, ctx: CommandContext): Reply {
    const m = messages(ctx.locale);
    if (args.help) return helpReply('projects', ctx.locale);
    const { db } = ctx.model;
    if (db.projects.length === 0 && db.departments.length === 0) return emptyStoreReply(ctx.locale);
    const evaluation = ctx.model.evaluate(ctx.today);
    const zone = pick(db.meta.zone, ctx.locale);
    if (!args.query) return overviewReply(m.projects.overviewTitle(zone), evaluation, 'projects', ctx, '/projects', args.page);

    const byId = findItemById(db.projects, args.query);
    if (byId) return detailReply(evaluation.byId.get(byId.id)!, ctx);
    const dept = lookupDepartment(args.query, ctx, EXAMPLE, false);
    if (dept.kind === 'reply') return dept.reply;
    if (dept.kind === 'one') {
      const name = departmentName(dept.department, ctx.locale);
      return listReply(
        {
          title: m.projects.deptTitle(name),
          statuses: ownedBy(evaluation.projects, dept.department.id),
          command: '/projects',
          text: args.query,
          page: args.page,
          showOwner: false,
          emptyText: m.projects.deptNone(name),
          about: { departmentId: dept.department.id },
        },
        ctx,
      );
    }
    const found = searchItems<Project>(db.projects, args.query);
    if (found.length === 1) return detailReply(evaluation.byId.get(found[0]!.id)!, ctx);
    if (found.length === 0) {
      const categories = projectCategories(db.projects).map((c) => pick(c, ctx.locale));
      const q = normalize(args.query);
      const near = categories.filter((c) => [...q].some((ch) => normalize(c).includes(ch)));
      return notFoundReply(args.query, ctx, EXAMPLE, near);
    }
    const statuses = found.map((p) => evaluation.byId.get(p.id)!);
    return listReply(
      { title: m.projects.searchTitle(args.query), statuses, command: '/projects', text: args.query, page: args.page, showOwner: true, emptyText: m.projects.none(args.query) },
      ctx,
    );
  },
};
