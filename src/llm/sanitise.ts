/**
 * Model output is untrusted input. Before any of it is kept or shown it is made plain: Slack markup
 * (<!channel>, <!here>, <!everyone>, <!subteam^…>, <@U…>, <#C…>, <http…|…>), bare user ids, links,
 * broadcast words, control and bidirectional-override characters are removed, whitespace is folded
 * to one line, and the length is capped. Replies then escape it again (commands/reply.ts `md`).
 */

const SLACK_MARKUP = /<[^<>]*>/g;
const BROADCAST = /[@＠]\s*(channel|here|everyone)\b/giu;
// Slack ids have digits; "UNDERSTANDING" does not.
const USER_ID = /\b[UWBST](?=[A-Z0-9]*\d)[A-Z0-9]{8,}\b/g;
const LINK = /\b(?:https?|ftp|file):\/\/[^\s<>"'，。）)]*|\bjavascript:\S*|\bwww\.[^\s<>"'，。）)]+/giu;
// C0/C1 controls except tab/newline, zero-width and bidi controls, the BOM.
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;

/** Cuts at `max` UTF-16 code units, never inside a surrogate pair, marking the cut with "…". */
export function capLength(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** One line of plain, harmless text of at most `max` characters ('' when nothing is left). */
export function cleanModelText(raw: unknown, max: number): string {
  if (typeof raw !== 'string') return '';
  const text = raw
    .replace(INVISIBLE, '')
    .replace(SLACK_MARKUP, ' ')
    .replace(/[<>]/g, ' ')
    .replace(LINK, ' ')
    .replace(BROADCAST, '$1')
    .replace(USER_ID, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return capLength(text, max);
}

/** Cleans a list of short strings, dropping empty ones. */
export function cleanList(raw: unknown, maxItems: number, maxEach: number): string[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .map((x) => cleanModelText(x, maxEach))
    .filter((x) => x.length > 0)
    .slice(0, maxItems);
}
