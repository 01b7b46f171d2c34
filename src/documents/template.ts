/**
 * The wording of the 督办单 ladder: a title per level, the opening and the requirement, with
 * placeholders ({部门}, {事项}, {原因}, {时限}, {督查室}, {文种}, {编号}) filled in for each document. The
 * office edits it with `/duban 督办单 模板`; what it leaves empty is the catalogue's default. Pure.
 */
import type { DocumentLevel } from '../domain/documents.ts';
import type { Settings } from '../domain/schema.ts';
import { messages } from '../i18n/index.ts';

export type Placeholder = keyof ReturnType<typeof messages>['documents']['placeholders'];
export const PLACEHOLDERS = Object.keys(messages('zh-CN').documents.placeholders) as Placeholder[];

export type DocumentTemplates = {
  title: Record<DocumentLevel, string>;
  body: string;
  requirement: string;
};

/** What the office wrote, as stored in settings (any field may be unset). */
export type StoredTemplates = NonNullable<Settings['documents']>['templates'];

/** The wording in force: the office's where set, the catalogue's default otherwise (always Chinese: an official document). */
export function templatesOf(settings: Pick<Settings, 'documents'>): DocumentTemplates {
  const d = messages('zh-CN').documents.defaults;
  const t = settings.documents?.templates;
  return {
    title: {
      notice: t?.title.notice ?? d.title.notice,
      supervision: t?.title.supervision ?? d.title.supervision,
      letter: t?.title.letter ?? d.title.letter,
    },
    body: t?.body ?? d.body,
    requirement: t?.requirement ?? d.requirement,
  };
}

const PLACEHOLDER = /\{([^{}\s]{1,20})\}/g;

/** Placeholders in `text` that are not known, each once, in order. */
export function unknownPlaceholders(text: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  const out: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!known.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** `text` with each known placeholder replaced by its value; the values are inserted as they are, never read again. */
export function fillTemplate(text: string, values: Readonly<Record<Placeholder, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as Placeholder] : whole,
  );
}
