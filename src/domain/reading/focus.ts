/**
 * The part of a text about one project: "康方…项目开工建设；广东南粤银行金融大厦封顶；…永久会址投入使用"
 * says something different of each project it names. When the text names the item, only the clauses
 * from its name to the end of that sentence speak of it (a clause about 其他项目 ends them); when those say
 * nothing, the whole sentence does.
 */
import type { Text } from '../schema.ts';
import { simplified } from './normalise.ts';

const SENTENCE_END = /[;；。!！?？\n]/;
const CLAUSE_START = /[,，;；。!！?？\n(（:：]/;
const OTHERS = /^\s*(?:其他|其余|其它|另外|另有|另\d|others?\b|the rest\b)/i;
const LIST_EDGE_BEFORE = /[、,，(（:：\s]|^$/;
const LIST_EDGE_AFTER = /^(?:[、,，)）\s等和及]|$)/;

function namesOf(name: Text): string[] {
  const out = [name.zh, name.en ?? ''].map((n) => n.trim()).filter((n) => n.length >= 2);
  const bare = name.zh.replace(/(?:建设|改造|提升)?(?:项目|工程)$/, '');
  if (bare.length >= 3 && bare !== name.zh) out.push(bare);
  return out;
}

/** Where the text names the item: its name, a shortened name, or (in a list) the start of its name. */
function findName(text: string, name: Text): number[] {
  const lower = text.toLowerCase();
  for (const n of namesOf(name)) {
    const hits: number[] = [];
    for (let i = lower.indexOf(n.toLowerCase()); i >= 0; i = lower.indexOf(n.toLowerCase(), i + 1)) hits.push(i);
    if (hits.length > 0) return hits;
  }
  // "57%（赤溪、灵溪偏慢）" for 赤溪镇中心敬老院: a place name standing alone as a list item.
  const zh = name.zh;
  for (let len = Math.min(zh.length - 1, 6); len >= 2; len--) {
    const head = zh.slice(0, len);
    const hits: number[] = [];
    for (let i = text.indexOf(head); i >= 0; i = text.indexOf(head, i + 1)) {
      if (LIST_EDGE_BEFORE.test(text[i - 1] ?? '') && LIST_EDGE_AFTER.test(text.slice(i + len))) hits.push(i);
    }
    if (hits.length > 0) return hits;
  }
  return [];
}

/** The clauses before a list ("未完成目标任务的项目5个，分别是：…") say what the list's items share. */
const LIST_INTRO = /分别是|分别为|包括|主要有|有[:：]|[:：]/;

/** Whether the name at `at` is one of a 、-list ("A、B、C等"): after a 、, or followed by one in its clause. */
function inAList(text: string, at: number): boolean {
  return text[at - 1] === '、' || /^[^,，;；。、]*、/.test(text.slice(at, at + 80));
}

type Focus = { near: string; sentence?: string };

/** The clauses about the item and the sentences they are in, or undefined when the text does not name it. */
export function focusOn(original: string, name: Text): Focus | undefined {
  const text = simplified(original);
  const hits = findName(text, { ...name, zh: simplified(name.zh) });
  if (hits.length === 0) return undefined;
  const near: string[] = [];
  const sentences: string[] = [];
  for (const at of hits) {
    let start = at;
    while (start > 0 && !CLAUSE_START.test(text[start - 1]!)) start--;
    let sStart = at;
    while (sStart > 0 && !SENTENCE_END.test(text[sStart - 1]!)) sStart--;
    let end = at;
    while (end < text.length && !SENTENCE_END.test(text[end]!)) end++;
    // One of a list ("实施了A、B、C等5个项目") is spoken of by its clause only.
    if (inAList(text, at)) {
      let clauseEnd = at;
      while (clauseEnd < end && !/[,，]/.test(text[clauseEnd]!)) clauseEnd++;
      end = clauseEnd;
    }
    // Cut at a clause about the others ("，其他项目正按序时推进").
    let cut = end;
    for (let i = at; i < end; i++) {
      if (/[,，]/.test(text[i]!) && OTHERS.test(text.slice(i + 1, i + 12))) {
        cut = i;
        break;
      }
    }
    near.push(text.slice(start, cut));
    // "…的项目5个，分别是：A、B" or "推进缓慢的有3（A、B）": the clause before the list says it of A and B.
    // A colon before a name standing alone ("市文投集团答复:因延安路…") introduces a reply, not a list.
    const listIntro = inAList(text, at) && LIST_INTRO.test(text.slice(Math.max(sStart, start - 2), at));
    if (listIntro || /[(（]/.test(text[start - 1] ?? '')) sentences.push(text.slice(sStart, cut));
  }
  // A text naming the item on its own (never as one of a list) speaks of it throughout.
  const inList = hits.some((at) => inAList(text, at));
  if (sentences.length === 0 && !inList) sentences.push(text);
  return {
    near: [...new Set(near)].join('。'),
    ...(sentences.length ? { sentence: [...new Set(sentences)].join('。') } : {}),
  };
}
