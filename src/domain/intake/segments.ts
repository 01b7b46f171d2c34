/**
 * Text → segments: the sentences and list items a commitment may be drafted from, with their offsets.
 *
 * A numbered line (1. / 1、 / （一） / 一、) is one item however many sentences it holds; other lines
 * split at 。！？；. Inside a segment, 一是…二是… split it again. A line that only names roles
 * (牵头单位：… / 责任单位：… / 配合单位：… / 完成时限：…) belongs to the item before it, and so does such a
 * sentence on the item's own line (…完成。牵头单位：X).
 */
import { type Span, span } from './types.ts';

export type Segment = {
  /** The whole sentence or item, list marker included. */
  sentence: Span;
  /** Where the content starts (after a list marker). */
  bodyStart: number;
  /** Role lines that belong to this segment (责任单位：…). */
  roleLines: Span[];
};

const LIST_MARKER =
  /^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,3}(?:[.．、](?!\d)|[）)]))\s*/u;
const ENUMERATION = /[一二三四五六七八九十]{1,3}是/gu;
export const ROLE_LINE =
  /^\s*(?:牵头单位|牵头部门|责任单位|责任部门|主办单位|承办单位|配合单位|配合部门|协办单位|参与单位|完成时限|办理时限|时限要求)\s*[：:]/u;

/** Splits `text` into segments, each with its role lines. Offsets are into `text`. */
export function segmentText(text: string): Segment[] {
  const out: Segment[] = [];
  const lineRe = /[^\n]+/g;
  for (let m = lineRe.exec(text); m; m = lineRe.exec(text)) {
    const line = m[0];
    const at = m.index;
    if (!line.trim()) continue;
    if (ROLE_LINE.test(line)) {
      const last = out.at(-1);
      if (last) last.roleLines.push(span(text, at, at + line.trimEnd().length));
      continue;
    }
    const marker = LIST_MARKER.exec(line);
    if (marker) {
      pushEnumerated(text, at, at + line.trimEnd().length, at + marker[0].length, out);
      continue;
    }
    const sentenceRe = /[^。！？!?；;]+[。！？!?；;]*/gu;
    for (let s = sentenceRe.exec(line); s; s = sentenceRe.exec(line)) {
      const start = at + s.index + (s[0].length - s[0].trimStart().length);
      const end = at + s.index + s[0].trimEnd().length;
      const last = out.at(-1);
      // A sentence that only names roles (…完成。牵头单位：X 配合单位：Y) belongs to the item before it, as a role line.
      if (last && ROLE_LINE.test(s[0])) last.roleLines.push(span(text, start, end));
      else if (end > start) pushEnumerated(text, start, end, start, out);
    }
  }
  return out;
}

/** One segment, or one per 一是/二是… when the segment enumerates. */
function pushEnumerated(text: string, start: number, end: number, bodyStart: number, out: Segment[]): void {
  const body = text.slice(bodyStart, end);
  const marks = [...body.matchAll(ENUMERATION)].map((m) => bodyStart + m.index);
  if (marks.length < 2) {
    const mark = marks[0];
    // A lone 一是 (一是…；二是… split at ；) is a marker, and a lead-in before it (会议要求：) no part of the item.
    const from = mark !== undefined && /^[^。]*[：:]\s*$/u.test(text.slice(bodyStart, mark)) ? mark : start;
    const body2 = mark !== undefined && (mark === bodyStart || from === mark) ? afterMark(text, mark) : bodyStart;
    out.push({ sentence: span(text, from, trimEnd(text, from, end)), bodyStart: body2, roleLines: [] });
    return;
  }
  marks.forEach((from, i) => {
    const to = trimEnd(text, from, marks[i + 1] ?? end);
    out.push({ sentence: span(text, from, to), bodyStart: afterMark(text, from), roleLines: [] });
  });
}

const MARK_AT = /[一二三四五六七八九十]{1,3}是/uy;

function afterMark(text: string, at: number): number {
  MARK_AT.lastIndex = at;
  return MARK_AT.test(text) ? MARK_AT.lastIndex : at;
}

function trimEnd(text: string, from: number, to: number): number {
  let end = to;
  while (end > from && /[\s，,；;]/u.test(text[end - 1]!)) end--;
  return end;
}
