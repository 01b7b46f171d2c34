/**
 * What /targets and /projects share: no query → the overview by department; an id → its detail; a
 * department → its items, worst first; a keyword → the matching items (one match → its detail);
 * nothing → "not found" with suggestions.
 */
import { findItemById, searchItems } from '../src/domain/match.ts';
import type { Item } from '../src/domain/schema.ts';
import { type Catalogue, messages, pick } from '../src/i18n/index.ts';
import type { QueryArgs } from './args.ts';
import type { CommandContext } from './context.ts';
import { departmentName, emptyStoreReply, usageReply } from './format.ts';
import { helpReply } from './help.ts';
import { itemByNumberRef } from './item-ref.ts';
import type { Reply } from './reply.ts';
import { detailReply, listReply, lookupDepartment, notFoundReply, overviewReply, ownedBy } from './views.ts';

export type ItemQuerySpec = {
  kind: 'targets' | 'projects';
  command: '/targets' | '/projects';
  example: string;
  /** The catalogue section with the command's titles. */
  texts: (m: Catalogue) => Catalogue['targets'] | Catalogue['projects'];
  /** Extra "did you mean" names when nothing matches (project categories). */
  nearNames?: (query: string, ctx: CommandContext) => string[];
};

export function runItemQuery(spec: ItemQuerySpec, args: QueryArgs, ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  const t = spec.texts(m);
  if (args.help) return helpReply(spec.kind, ctx.locale);
  const { db } = ctx.model;
  const items: Item[] = db[spec.kind];
  if (items.length === 0 && db.departments.length === 0) return emptyStoreReply(ctx.locale);
  const evaluation = ctx.model.evaluate(ctx.today);
  if (!args.query)
    return overviewReply(t.overviewTitle(pick(db.meta.zone, ctx.locale)), spec.kind, ctx, spec.command, args.page);

  // A short number (#12) names one item whatever its kind: the lists number targets, projects and commitments alike.
  const byNumber = itemByNumberRef(args.query, ctx.model);
  if (byNumber === 'unknown_number')
    return usageReply(m.item.unknownNumber(args.query.trim()), spec.example, ctx.locale);
  if (byNumber) return detailReply(evaluation.byId.get(byNumber.id)!, ctx);
  const byId = findItemById(items, args.query);
  if (byId) return detailReply(evaluation.byId.get(byId.id)!, ctx);
  const dept = lookupDepartment(args.query, ctx, spec.example, false);
  if (dept.kind === 'reply') return dept.reply;
  const list = { command: spec.command, text: args.query, page: args.page };
  if (dept.kind === 'one') {
    const name = departmentName(dept.department, ctx.locale);
    const statuses = ownedBy(evaluation[spec.kind], dept.department.id);
    // A reply in the list's thread is about one of the listed items (not the department's others).
    const about = { departmentId: dept.department.id, itemIds: statuses.slice(0, 100).map((s) => s.item.id) };
    return listReply(
      {
        ...list,
        title: t.deptTitle(name),
        statuses,
        showOwner: false,
        emptyText: t.deptNone(name),
        about,
        department: dept.department.id,
      },
      ctx,
    );
  }
  const found = searchItems(items, args.query);
  if (found.length === 1) return detailReply(evaluation.byId.get(found[0]!.id)!, ctx);
  if (found.length === 0) return notFoundReply(args.query, ctx, spec.example, spec.nearNames?.(args.query, ctx) ?? []);
  const statuses = found.map((i) => evaluation.byId.get(i.id)!);
  return listReply(
    { ...list, title: t.searchTitle(args.query), statuses, showOwner: true, emptyText: t.none(args.query) },
    ctx,
  );
}
