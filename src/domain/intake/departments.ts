/**
 * Who is to do it: departments read from the role slots such texts use, matched against the zone's
 * departments (names, short names, aliases). A department is only ever read from a slot —
 * "由X牵头，Y配合", "X（牵头）", "牵头单位：X", "责任单位：X、Y", or X as the subject of 要/将/力争… —
 * never from a name that merely appears in the sentence.
 */
import { departmentNames, normalize } from '../match.ts';
import type { Department } from '../schema.ts';
import { type Field, type Span, span, type UnknownDepartment } from './types.ts';

export type Roles = { lead?: Field<string>; co: Array<Field<string>>; unknown: UnknownDepartment[] };

/** Words after a subject that make it the one to act: 住建局要…, 经济发展局的同志说… */
const SUBJECT_VERB =
  /^(?:的同志)?(?:要|将|须|需|必须|应|力争|确保|推动|完成|负责|承担|牵头|说|表态|表示|承诺|胸有成竹|计划|争取|全力|加快|抓紧|会同|于\d|在\d|[：:])/u;
/** What an office's name ends with, for naming one the zone does not have. */
const ORG_SUFFIX = /(?:局|委|办|办公室|街道|镇|乡|中心|管委会|公司|集团|部|处|科|室|所|院|队|站|专班|指挥部)$/u;
const COLLECTIVE = /^(?:各|有关|相关|其他|全区|全市|全县|市级各|区级各|县级各)/u;

/** Splits a list of offices at 、，, 和 及 与 (outside brackets); drops 等 and collective words (各街道). */
export function listPieces(source: string, start: number, end: number): Span[] {
  const pieces: Span[] = [];
  let depth = 0;
  let from = start;
  const flush = (to: number) => {
    let a = from;
    let b = to;
    while (a < b && /[\s“”"'：:]/u.test(source[a]!)) a++;
    while (b > a && /[\s“”"'。；;]/u.test(source[b - 1]!)) b--;
    if (source.slice(b - 1, b) === '等') b--;
    if (b - a >= 2) pieces.push(span(source, a, b));
  };
  for (let i = start; i < end; i++) {
    const ch = source[i]!;
    if ('（(【['.includes(ch)) depth++;
    else if ('）)】]'.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && '、，,及和与/'.includes(ch)) {
      flush(i);
      from = i + 1;
    }
  }
  flush(end);
  return pieces.filter((p) => !COLLECTIVE.test(p.text));
}

/** The zone's department a piece names exactly (ignoring width and punctuation), or with 区/县/市 before it. */
export function departmentOf(departments: readonly Department[], piece: string): Department | undefined {
  const q = normalize(piece);
  const exact = departments.filter((d) => departmentNames(d).includes(q));
  if (exact.length === 1) return exact[0];
  const bare = q.replace(/^(?:区|县|市|镇|省|开发区|园区)/u, '');
  if (bare !== q && bare.length >= 2) {
    const found = departments.filter((d) => departmentNames(d).includes(bare));
    if (found.length === 1) return found[0];
  }
  return undefined;
}

class RoleCollector {
  readonly roles: Roles = { co: [], unknown: [] };
  constructor(
    private readonly departments: readonly Department[],
    private readonly source: string,
  ) {}

  add(role: 'lead' | 'co', piece: Span): void {
    const d = departmentOf(this.departments, piece.text);
    if (!d) {
      if (!this.roles.unknown.some((u) => u.span.text === piece.text)) this.roles.unknown.push({ role, span: piece });
      return;
    }
    const taken = this.roles.lead?.value === d.id || this.roles.co.some((c) => c.value === d.id);
    if (taken) return;
    if (role === 'lead' && !this.roles.lead && this.roles.unknown.every((u) => u.role !== 'lead'))
      this.roles.lead = { value: d.id, span: piece };
    else this.roles.co.push({ value: d.id, span: piece });
  }

  /** A list whose first office leads (a 责任单位 list without a 牵头单位: the first one listed leads). */
  addList(start: number, end: number, firstLeads: boolean): void {
    listPieces(this.source, start, end).forEach((p, i) => this.add(firstLeads && i === 0 ? 'lead' : 'co', p));
  }

  get hasLead(): boolean {
    return this.roles.lead !== undefined || this.roles.unknown.some((u) => u.role === 'lead');
  }
}

const LEAD_LABEL = /(?:牵头单位|牵头部门)\s*[：:]/u;
const RESPONSIBLE_LABEL = /(?:责任单位|责任部门|主办单位|承办单位)\s*[：:]/u;
const CO_LABEL = /(?:配合单位|配合部门|协办单位|参与单位)\s*[：:]/u;

/** Where a label's list ends: at the next role or deadline label, even on the same line (牵头单位：X 责任单位：Y). */
const NEXT_LABEL =
  /\s*(?:牵头单位|牵头部门|责任单位|责任部门|主办单位|承办单位|配合单位|配合部门|协办单位|参与单位|完成时限|办理时限|时限要求)\s*[：:]/u;

/** The labels as written inside a sentence, followed by their list. */
const INLINE = new Map(
  [LEAD_LABEL, RESPONSIBLE_LABEL, CO_LABEL].map((l) => [
    l,
    new RegExp(`${l.source}((?:(?!${NEXT_LABEL.source})[^；;。\\n])+)`, 'u'),
  ]),
);

/** The end of a label's list within `text` from `from`: the next label, or the end. */
function listEnd(text: string, from: number): number {
  const next = NEXT_LABEL.exec(text.slice(from));
  return next ? from + next.index : text.length;
}

/** Reads the roles of one segment: its labelled lines first, then 由X牵头 / X（牵头）, then the subject. */
export function readRoles(
  departments: readonly Department[],
  source: string,
  body: Span,
  roleLines: readonly Span[],
): Roles {
  const c = new RoleCollector(departments, source);
  const labelled = (label: RegExp) =>
    roleLines.flatMap((l) => {
      const m = label.exec(l.text);
      if (!m) return [];
      const from = m.index + m[0].length;
      return [{ start: l.start + from, end: l.start + listEnd(l.text, from) }];
    });
  // Labels written inside the sentence too (…任务。牵头单位：X；配合单位：Y).
  const inline = (label: RegExp) => {
    const m = INLINE.get(label)!.exec(body.text);
    return m
      ? [{ start: body.start + m.index + m[0].length - m[1]!.length, end: body.start + m.index + m[0].length }]
      : [];
  };
  const leads = [...labelled(LEAD_LABEL), ...inline(LEAD_LABEL)];
  for (const l of leads) c.addList(l.start, l.end, true);
  for (const r of [...labelled(RESPONSIBLE_LABEL), ...inline(RESPONSIBLE_LABEL)]) c.addList(r.start, r.end, !c.hasLead);
  for (const r of [...labelled(CO_LABEL), ...inline(CO_LABEL)]) c.addList(r.start, r.end, false);
  if (c.hasLead) return c.roles;

  // 由X牵头，Y配合 / X牵头，Y配合 / （X牵头，Y按职责分工负责）
  const lead = /([^，,。；;：:（(）)\n]{2,60}?)牵头(?![单部])/u.exec(body.text);
  if (lead) {
    const at = body.start + lead.index;
    c.addList(source[at] === '由' ? at + 1 : at, at + lead[1]!.length, true);
    const after = body.start + lead.index + lead[0].length;
    const co = /^[，,、]?([^，,。；;（(）)\n]{2,60}?)(?:等)?(?:配合|协助|协同|参与)/u.exec(
      source.slice(after, body.end),
    );
    if (co) c.addList(after + co[0].indexOf(co[1]!), after + co[0].indexOf(co[1]!) + co[1]!.length, false);
    if (c.hasLead) return c.roles;
  }
  // X（牵头）、Y、Z
  const marked = /([^，,。；;：:、（(）)\n]{2,40})[（(]牵头[）)]/u.exec(body.text);
  if (marked) {
    const at = body.start + marked.index;
    c.add('lead', span(source, at, at + marked[1]!.length));
    const rest = /^[、，,]([^。；;：:\n]*)/u.exec(source.slice(at + marked[0].length, body.end));
    if (rest) c.addList(at + marked[0].length + 1, at + marked[0].length + rest[0].length, false);
    if (c.hasLead) return c.roles;
  }
  // The subject: 住建局要… / 经济发展局的同志说… — or, after a heading (（一）加快城市更新。住建局要…), its first sentence's.
  const heading = /^[^，,：:；;。]{1,12}。/u.exec(body.text)?.[0].length ?? 0;
  const subject =
    readSubject(departments, source, body) ??
    (heading > 0 ? readSubject(departments, source, span(source, body.start + heading, body.end)) : undefined);
  if (!subject) return c.roles;
  c.add('lead', subject);
  // 住建局要会同经发局、科创局，… : those it works with support it.
  const together =
    /^(?:的同志)?(?:要|将|须|应)?会同([^，,。；;：:]{2,40}?)(?=[，,]|共同|一起|联合|在|于|抓紧|加快|推进|完成)/u.exec(
      source.slice(subject.end, body.end),
    );
  if (together) {
    const from = subject.end + together[0].length - together[1]!.length;
    c.addList(from, from + together[1]!.length, false);
  }
  return c.roles;
}

const namesCache = new WeakMap<readonly Department[], string[]>();

/** The zone's Chinese names of departments, longest first (computed once per department list). */
function chineseNames(departments: readonly Department[]): string[] {
  let names = namesCache.get(departments);
  if (!names) {
    names = departments
      .flatMap((d) => [d.name.zh, d.shortName.zh, ...d.aliases])
      .filter((n): n is string => !!n && /\p{Script=Han}/u.test(n))
      .sort((a, b) => b.length - a.length);
    namesCache.set(departments, names);
  }
  return names;
}

/** The office a segment opens with, when a verb of acting follows it. */
function readSubject(departments: readonly Department[], source: string, body: Span): Span | undefined {
  const text = body.text;
  // A zone department's own name (longest first), then a name ending like an office.
  const names = chineseNames(departments);
  const lead = /^(?:会议)?(?:要求|明确|决定|议定|指出)?[，,：:]?\s*请?/u.exec(text)?.[0].length ?? 0;
  for (const n of names) {
    for (const prefix of ['', '区', '县', '市']) {
      const w = prefix + n;
      if (text.startsWith(w, lead) && SUBJECT_VERB.test(text.slice(lead + w.length)))
        return span(source, body.start + lead, body.start + lead + w.length);
    }
  }
  const m =
    /^[\p{Script=Han}·]{2,16}?(?=(?:的同志)?(?:要|将|须|需|必须|应|力争|确保|负责|牵头|表态|承诺|会同|于\d|在\d))/u.exec(
      text.slice(lead),
    );
  if (m && ORG_SUFFIX.test(m[0]) && !COLLECTIVE.test(m[0]))
    return span(source, body.start + lead, body.start + lead + m[0].length);
  return undefined;
}
