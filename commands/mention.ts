/** @duban <question>: a small rule-based intent matcher over the read-only commands. */
import { findDepartmentsInText, normalize, searchItems } from '../src/domain/match.ts';
import { detectLocale, messages } from '../src/i18n/index.ts';
import { plainText } from './args.ts';
import type { CommandContext } from './context.ts';
import { behindReply, scorecardReply, statusReply } from './duban.ts';
import { departmentName, MAX_QUERY_LENGTH } from './format.ts';
import { helpReply } from './help.ts';
import { projects } from './projects.ts';
import { type Reply, trusted } from './reply.ts';
import { targets, tooLongReply } from './targets.ts';
import { detailReply, listReply } from './views.ts';

export type Intent =
  | { kind: 'help' }
  | { kind: 'behind'; departmentId?: string }
  | { kind: 'overview' }
  | { kind: 'department'; departmentId: string; focus: 'all' | 'targets' | 'projects' }
  | { kind: 'targets' }
  | { kind: 'projects' }
  | { kind: 'search'; keyword: string }
  /** An item named by its short number: "@督办 #12 进展如何". */
  | { kind: 'item'; itemId: string }
  | { kind: 'too_long' }
  | { kind: 'unknown' };

const HELP = /^(help|帮助|帮忙|用法|怎么用|使用说明|你能做什么|what can you do\??|\?|？)$/i;
const BEHIND = /(落后|滞后|拖后腿|进度慢|预警|红灯|谁.{0,4}(慢|差)|behind|lagging|late|at risk|red items?)/i;
const PROJECTS = /(项目|工程|projects?)/i;
const TARGETS = /(目标|指标|任务|targets?|goals?)/i;
const OVERVIEW = /(总览|概况|全区|整体|情况|排名|overview|summary|ranking|how are we|status)/i;
// Question words and politeness that carry no search meaning: Chinese anywhere, English as whole words.
const FILLER =
  /(请问|请|帮我|查一下|查查|看看|看一下|一下|进展|进度|如何|怎么样|怎样|情况|了吗|了|吗|呢|的)|\b(what|how|is|are|the|about|doing|progress|show|me|please|status|of|on)\b/gi;

/** Removes the bot's own mention and Slack markup. */
export function stripMention(text: string): string {
  return plainText(text.replace(/^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>\s*/, ''));
}

export function matchIntent(text: string, ctx: CommandContext): Intent {
  if (text.length > MAX_QUERY_LENGTH) return { kind: 'too_long' };
  const t = text.trim();
  if (!t || HELP.test(t)) return { kind: 'help' };
  const ref = /[#＃]\s*(\d{1,6})(?!\d)/.exec(t);
  const numbered = ref ? ctx.model.itemByNumber(Number(ref[1])) : undefined;
  if (numbered) return { kind: 'item', itemId: numbered.item.id };
  const [dept] = findDepartmentsInText(ctx.model.db.departments, t);
  if (BEHIND.test(t)) return dept ? { kind: 'behind', departmentId: dept.id } : { kind: 'behind' };
  if (dept) {
    const focus = PROJECTS.test(t) ? 'projects' : TARGETS.test(t) ? 'targets' : 'all';
    return { kind: 'department', departmentId: dept.id, focus };
  }
  const keyword = t
    .replace(FILLER, ' ')
    .replace(/[?？!！。,.，]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (keyword && normalize(keyword).length >= 2) {
    const hits = searchItems(ctx.model.db.targets, keyword).length + searchItems(ctx.model.db.projects, keyword).length;
    if (hits > 0) return { kind: 'search', keyword };
  }
  if (PROJECTS.test(t)) return { kind: 'projects' };
  if (TARGETS.test(t)) return { kind: 'targets' };
  if (OVERVIEW.test(t)) return { kind: 'overview' };
  return { kind: 'unknown' };
}

/** Targets and projects matching a keyword, paginated (its buttons come back here via '@duban'). */
export function searchReply(keyword: string, page: number, ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  const evaluation = ctx.model.evaluate(ctx.today);
  const ids = [...searchItems(ctx.model.db.targets, keyword), ...searchItems(ctx.model.db.projects, keyword)].map(
    (i) => i.id,
  );
  const statuses = ids.map((id) => evaluation.byId.get(id)!);
  return listReply(
    {
      title: m.list.searchTitle(keyword),
      statuses,
      command: '@duban',
      text: keyword,
      page,
      showOwner: true,
      emptyText: m.targets.none(keyword),
    },
    ctx,
  );
}

/** Answers a mention; the language of the question wins over the user's default. */
export function runMention(rawText: string, ctx: CommandContext): Reply {
  const text = stripMention(rawText);
  // The language is read from what the person wrote, not from mentions or links in Slack markup.
  const locale = detectLocale(rawText.replace(/<[^>]*>/g, ' ')) ?? ctx.locale;
  const c = { ...ctx, locale };
  return replyForIntent(matchIntent(text, c), c);
}

/** The answer to a question once placed: only ever one of the read-only views. */
export function replyForIntent(intent: Intent, c: CommandContext): Reply {
  const { locale } = c;
  const m = messages(locale);
  switch (intent.kind) {
    case 'help':
      return helpReply('all', locale);
    case 'too_long':
      return tooLongReply(c, m.examples.mention);
    case 'behind':
      return behindReply(
        intent.departmentId ? departmentName(c.model.department(intent.departmentId)!, 'zh-CN') : '',
        1,
        c,
      );
    case 'overview':
      return statusReply('', 1, c);
    case 'targets':
      return targets.run({ help: false, query: '', page: 1 }, c);
    case 'projects':
      return projects.run({ help: false, query: '', page: 1 }, c);
    case 'department': {
      if (intent.focus === 'all') return scorecardReply(intent.departmentId, c);
      const dept = c.model.department(intent.departmentId)!;
      const cmd = intent.focus === 'targets' ? targets : projects;
      return cmd.run({ help: false, query: departmentName(dept, 'zh-CN'), page: 1 }, c);
    }
    case 'search':
      return searchReply(intent.keyword, 1, c);
    case 'item':
      return detailReply(c.model.evaluate(c.today).byId.get(intent.itemId)!, c);
    case 'unknown':
      return {
        text: m.errors.notUnderstood,
        blocks: [{ type: 'section', text: trusted(m.errors.notUnderstood) }],
        visibility: 'ephemeral',
      };
  }
}
