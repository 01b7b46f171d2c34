import { Converter } from 'opencc-js/t2cn';

export const NOTE_MAX = 4000;
/** Beyond this the scanner does not look (the note is cut at 4000 anyway); keeps hostile input cheap. */
export const SCAN_MAX = 20_000;

// ---------------------------------------------------------------------------------------------
// Slack markup
// ---------------------------------------------------------------------------------------------

const SLACK_TOKEN = /<([^<>\n]{1,3000})>/g;
const BARE_URL = /https?:\/\/[^\s<>"'|，。；！？、）)\]】]+/g;
const EMOJI_CODE = /:[a-z0-9_+'-]{1,60}:/g;

function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function trimUrl(url: string): string {
  return url.replace(/[.,;:!?]+$/, '');
}

/** Resolves Slack markup into a readable note and a plain text for scanning (links, mentions and emoji blanked). */
export function resolveMarkup(text: string): { note: string; plain: string; links: string[] } {
  const links: string[] = [];
  // Links become evidence (http(s), at most 2000 characters, at most 20 per update).
  const addLink = (u: string) => {
    if (u.length <= 2000 && links.length < 20 && !links.includes(u)) links.push(u);
  };
  const render = (forScan: boolean) =>
    text.replace(SLACK_TOKEN, (whole, inner: string) => {
      const bar = inner.indexOf('|');
      const target = bar >= 0 ? inner.slice(0, bar) : inner;
      const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
      if (/^https?:\/\//i.test(target)) {
        if (forScan) return label ? ` ${label} ` : ' ';
        return label && label !== target ? `${label} (${target})` : target;
      }
      if (target.startsWith('mailto:')) return forScan ? ' ' : (label ?? target.slice(7));
      if (target.startsWith('@')) return forScan ? ' ' : `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return forScan ? ' ' : `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) {
        if (forScan) return ' ';
        const special = target.slice(1).split('^')[0];
        if (special === 'channel' || special === 'here' || special === 'everyone') return `@${special}`;
        return label ?? '';
      }
      return whole;
    });
  const noteText = decodeEntities(render(false));
  // The note spells every link out ("label (url)"), so one pass over it keeps them in reading order.
  for (const m of noteText.matchAll(BARE_URL)) addLink(trimUrl(m[0]));
  const plain = decodeEntities(render(true))
    .replace(BARE_URL, (u) => ' '.repeat(u.length))
    .replace(EMOJI_CODE, (e) => ' '.repeat(e.length));
  return { note: noteText, plain, links };
}

export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, max).join('');
}

// ---------------------------------------------------------------------------------------------
// Numerals

// ---------------------------------------------------------------------------------------------
// One spelling for one thing: simplified characters, and the abbreviations reports use
// ---------------------------------------------------------------------------------------------

let toSimplified: ((s: string) => string) | undefined;

/** Traditional characters (統計, 規模以上工業) as simplified ones; the dictionary is built on first use. */
export function simplified(s: string): string {
  if (!/[\u4e00-\u9fff]/.test(s)) return s;
  // Item names are converted again and again: remember the short ones.
  const known = s.length <= 64 ? recent.get(s) : undefined;
  if (known !== undefined) return known;
  const convert = (toSimplified ??= Converter({ from: 't', to: 'cn' }));
  const out = convert(s);
  if (s.length <= 64) {
    if (recent.size >= 512) recent.clear();
    recent.set(s, out);
  }
  return out;
}

const recent = new Map<string, string>();

/** Long forms reports write and the short forms items are named by (and back): 规模以上 ↔ 规上. */
const ABBREVIATIONS: Array<[RegExp, string]> = [
  [/规模以上/g, '规上'],
  [/限额以上/g, '限上'],
  [/全社会固定资产投资|固定资产投资/g, '固投'],
  [/社会消费品零售总额/g, '社零'],
  [/一般公共预算收入/g, '一般预算收入'],
  [/实际使用外资|实际利用外资/g, '实际外资'],
  [/高新技术/g, '高新'],
];

/** A text or a name in one spelling, for comparing what a figure measures with what an item is called. */
export function canonicalTerms(s: string): string {
  let out = s;
  for (const [re, short] of ABBREVIATIONS) out = out.replace(re, short);
  return out;
}
