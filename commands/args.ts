/** Parsing of what follows a slash command: a free query, an optional page, or a request for help. */
import { z } from 'zod';
import { MAX_QUERY_LENGTH } from './format.ts';

export const QueryArgs = z.object({
  help: z.boolean(),
  query: z.string().max(MAX_QUERY_LENGTH),
  page: z.number().int().min(1).max(10_000),
});
export type QueryArgs = z.infer<typeof QueryArgs>;

export type ParseResult<T> = { ok: true; args: T } | { ok: false; problem: 'too_long' };

const HELP = /^(help|帮助|\?|？|-h|--help|用法)$/i;
// "p2", "page 2", "--page 2", "第2页" at the end of the text.
const PAGE = /(?:^|\s)(?:p|page|--page|-p)\s*(\d{1,5})$|(?:^|\s)?第\s*(\d{1,5})\s*页$/i;

/** Slack sends mentions and links as <@U…>, <#C…|name>, <!channel>; keep them as plain text for matching. */
export function plainText(text: string): string {
  return text
    .replace(/<([@#!])([^>|]*)(?:\|([^>]*))?>/g, (_m, sigil: string, id: string, label?: string) =>
      label ? `${sigil}${label}` : `${sigil}${id}`,
    )
    .replace(/<([^>|]*)\|([^>]*)>/g, '$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseQuery(raw: string): ParseResult<QueryArgs> {
  if (raw.length > MAX_QUERY_LENGTH * 4) return { ok: false, problem: 'too_long' };
  let text = plainText(raw);
  if (text.length > MAX_QUERY_LENGTH) return { ok: false, problem: 'too_long' };
  if (HELP.test(text)) return { ok: true, args: QueryArgs.parse({ help: true, query: '', page: 1 }) };
  let page = 1;
  const m = PAGE.exec(text);
  if (m) {
    page = Math.min(10_000, Math.max(1, Number(m[1] ?? m[2])));
    text = text.slice(0, m.index).trim();
  }
  return { ok: true, args: QueryArgs.parse({ help: false, query: text, page }) };
}
