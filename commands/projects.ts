/** /projects [department|category|keyword]: projects with percent done and milestones. */
import { normalize, projectCategories } from '../src/domain/match.ts';
import { messages, pick } from '../src/i18n/index.ts';
import { parseQuery, type QueryArgs } from './args.ts';
import type { CommandContext } from './context.ts';
import { runItemQuery } from './item-query.ts';
import type { Reply } from './reply.ts';

export const projects = {
  name: '/projects',
  parse: parseQuery,
  run(args: QueryArgs, ctx: CommandContext): Reply {
    return runItemQuery(
      {
        kind: 'projects',
        command: '/projects',
        example: messages(ctx.locale).examples.projects,
        texts: (m) => m.projects,
        // Categories that share a character with the query, as further suggestions.
        nearNames: (query, c) => {
          const q = normalize(query);
          return projectCategories(c.model.db.projects)
            .map((cat) => pick(cat, c.locale))
            .filter((name) => [...q].some((ch) => normalize(name).includes(ch)));
        },
      },
      args,
      ctx,
    );
  },
};
