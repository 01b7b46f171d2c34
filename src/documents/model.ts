/**
 * What a 督办单 says, as plain data, before any file format: who issues it (the zone's 督查室), its
 * level and number, to whom (the department's full name), the items with the facts from their status
 * (the same reasons, in the same words, as every other view), what is asked and by when. Pure: the
 * renderer (render-docx.ts) only lays it out. Every word comes from the catalogue's `documents` section,
 * in Chinese, as an official document is written.
 */
import type { DocumentLevel } from '../domain/documents.ts';
import type { ReadModel } from '../domain/read-model.ts';
import type { Reason } from '../domain/status.ts';
import { formatDate, messages } from '../i18n/index.ts';
import { reasonWords } from '../words/status.ts';
import { fillTemplate, type Placeholder, templatesOf } from './template.ts';

/**
 * The ladder's colours (RGB hex): the band (blue, amber, red), the text that reads on it, and the ink of
 * the title and rule on white paper (amber itself is too pale there).
 */
export const LEVEL_COLOURS: Record<DocumentLevel, { band: string; text: string; ink: string }> = {
  notice: { band: '1F5FBF', text: 'FFFFFF', ink: '1F5FBF' },
  supervision: { band: 'F2B705', text: '000000', ink: 'A66A00' },
  letter: { band: 'C00000', text: 'FFFFFF', ink: 'C00000' },
};

export type DocumentModel = {
  level: DocumentLevel;
  colour: { band: string; text: string; ink: string };
  /** 提示单 / 督办单 / 督办函, written beside the colour. */
  levelWord: string;
  issuer: string;
  title: string;
  /** 督〔2026〕12号, or the blank number of a preview. */
  number: string;
  preview: boolean;
  /** What a preview says instead of a number. */
  previewMark: string;
  /** The opening, one string per paragraph (the first is the addressee line by default). */
  body: string[];
  /** One line per item: its name, list number and reasons. */
  items: string[];
  requirement: string[];
  date: string;
};

export type DocumentFacts = {
  level: DocumentLevel;
  departmentId: string;
  itemIds: readonly string[];
  /** The issued number; a preview has none yet. */
  number?: { year: number; n: number };
  /** The zone's date of issue, and the date by which the department is to answer. */
  today: string;
  deadline: string;
};

/** Reasons that say why an item is chased: those that make it red or amber. */
function chasedReasons(reasons: readonly Reason[]): Reason[] {
  return reasons.filter((r) => 'rag' in r && (r.rag === 'red' || r.rag === 'amber'));
}

function paragraphs(text: string): string[] {
  return text
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function buildDocument(
  model: Pick<ReadModel, 'db' | 'evaluate' | 'department' | 'numberOf'>,
  facts: DocumentFacts,
): DocumentModel {
  const m = messages('zh-CN').documents;
  const { today } = facts;
  const department = model.department(facts.departmentId);
  const evaluation = model.evaluate(today);
  const issuer = m.issuer(model.db.meta.zone.zh);
  const levelWord = m.level[facts.level];
  const year = facts.number?.year ?? Number(today.slice(0, 4));
  const number = facts.number ? m.number(facts.number.year, facts.number.n) : m.numberPending(year);
  const names: string[] = [];
  const allReasons: string[] = [];
  const items = facts.itemIds.map((id, i) => {
    const status = evaluation.byId.get(id);
    const name = status ? status.item.name.zh : id;
    names.push(m.quoted(name));
    const words = chasedReasons(status?.reasons ?? []).map((r) => reasonWords(r, 'zh-CN', today));
    allReasons.push(...words);
    const n = model.numberOf(id);
    return m.itemLine(
      i + 1,
      m.quoted(name),
      n ? m.itemNo(n) : '',
      words.length ? words.join(m.reasonSeparator) : m.noReason,
    );
  });
  const values: Record<Placeholder, string> = {
    部门: department?.name.zh ?? facts.departmentId,
    事项: names.join(m.itemSeparator),
    原因: allReasons.length ? allReasons.join(m.reasonSeparator) : m.noReason,
    时限: formatDate(facts.deadline, 'zh-CN', today),
    督查室: issuer,
    文种: levelWord,
    编号: number,
  };
  const templates = templatesOf(model.db.settings);
  return {
    level: facts.level,
    colour: LEVEL_COLOURS[facts.level],
    levelWord,
    issuer,
    title: fillTemplate(templates.title[facts.level], values),
    number,
    preview: !facts.number,
    previewMark: m.previewMark,
    body: paragraphs(fillTemplate(templates.body, values)),
    items,
    requirement: paragraphs(fillTemplate(templates.requirement, values)),
    date: formatDate(today, 'zh-CN'),
  };
}
