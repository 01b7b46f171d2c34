/** /targets [department|keyword]: targets with their status against plan. */
import { messages } from '../src/i18n/index.ts';
import { parseQuery, type QueryArgs } from './args.ts';
import type { CommandContext } from './context.ts';
import { MAX_QUERY_LENGTH, usageReply } from './format.ts';
import { runItemQuery } from './item-query.ts';
import type { Reply } from './reply.ts';

export const targets = {
  name: '/targets',
  parse: parseQuery,
  run(args: QueryArgs, ctx: CommandContext): Reply {
    return runItemQuery(
      { kind: 'targets', command: '/targets', example: messages(ctx.locale).examples.targets, texts: (m) => m.targets },
      args,
      ctx,
    );
  },
};

export function tooLongReply(ctx: CommandContext, example: string): Reply {
  return usageReply(messages(ctx.locale).errors.tooLong(MAX_QUERY_LENGTH), example, ctx.locale);
}
