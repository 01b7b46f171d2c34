/** Block Kit → terminal text, so the console shows exactly what Slack would. */
import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
type TextObject = { type: string; text: string };

/** Undoes mrkdwn escaping and markup for a terminal: *bold* stays readable, entities become characters. */
export function mrkdwnToText(s: string): string {
  return s
    .replace(/<([^>|]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\u2060/g, '');
}

const BOLD = (s: string, color: boolean) => (color ? `\x1b[1m${s}\x1b[22m` : s);
const DIM = (s: string, color: boolean) => (color ? `\x1b[2m${s}\x1b[22m` : s);

function text(t: TextObject | undefined, color: boolean): string {
  if (!t) return '';
  const raw = t.type === 'mrkdwn' ? mrkdwnToText(t.text) : t.text;
  return color
    ? raw
        .replace(/\*([^*\n]+)\*/g, (_m, b: string) => BOLD(b, true))
        .replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, (_m, pre: string, i: string) => pre + DIM(i, true))
    : raw;
}

export function blocksToText(blocks: readonly KnownBlock[], options: { color?: boolean; width?: number } = {}): string {
  const color = options.color ?? false;
  const width = options.width ?? 60;
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'header': {
        const t = text(b.text as TextObject, false);
        out.push(BOLD(t, color), '═'.repeat(Math.min(width, Math.max(8, [...t].length * 2))));
        break;
      }
      case 'section': {
        if (b.text) out.push(text(b.text as TextObject, color));
        if (b.fields) out.push(b.fields.map((f) => text(f as TextObject, color).replace(/\n/g, ': ')).join('    '));
        if (b.accessory && b.accessory.type === 'button') out.push(`[ ${b.accessory.text.text} ]`);
        out.push('');
        break;
      }
      case 'context':
        out.push(
          DIM(
            b.elements
              .map((e) => ('text' in e && typeof e.text === 'string' ? text(e as TextObject, false) : ''))
              .join('  '),
            color,
          ),
          '',
        );
        break;
      case 'divider':
        out.push('─'.repeat(width));
        break;
      case 'actions':
        out.push(b.elements.map((e) => (e.type === 'button' ? `[ ${e.text.text} ]` : '')).join(' '), '');
        break;
      default:
        break;
    }
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
