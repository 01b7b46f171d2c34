/**
 * What leaves duban for a model: only the text a task needs, with people replaced by neutral labels.
 * Slack mentions and ids become "联络员A"-style labels (the same person keeps one label within a
 * request); channel references, links, e-mail addresses, phone and ID-card numbers are masked.
 */
import type { Locale } from '../i18n/index.ts';

export type Pseudonymiser = (text: string) => string;

function letter(n: number): string {
  return n < 26 ? String.fromCharCode(65 + n) : `${String.fromCharCode(65 + (n % 26))}${Math.floor(n / 26)}`;
}

/** One pseudonymiser per request, so a person mentioned twice gets the same label both times. */
export function createPseudonymiser(locale: Locale): Pseudonymiser {
  const labels = new Map<string, string>();
  const labelOf = (id: string) => {
    let label = labels.get(id);
    if (!label) {
      label = locale === 'en' ? `person ${letter(labels.size)}` : `人员${letter(labels.size)}`;
      labels.set(id, label);
    }
    return label;
  };
  const mask = (zh: string, en: string) => (locale === 'en' ? `[${en}]` : `[${zh}]`);
  return (text) =>
    text
      .replace(/<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>/g, (_m, id: string) => labelOf(id))
      .replace(/<#[CG][A-Z0-9]{2,}(?:\|[^>]*)?>/g, mask('频道', 'channel'))
      .replace(/<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>/g, mask('用户组', 'group'))
      .replace(/<!(channel|here|everyone)(?:\|[^>]*)?>/g, '@$1')
      .replace(/<(https?:\/\/[^>|]+)(?:\|[^>]*)?>/g, mask('链接', 'link'))
      .replace(/https?:\/\/\S+/g, mask('链接', 'link'))
      .replace(/\b[UW](?=[A-Z0-9]*\d)[A-Z0-9]{8,}\b/g, (id) => labelOf(id))
      .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, mask('邮箱', 'email'))
      .replace(/(?<!\d)\d{17}[\dXx](?!\d)/g, mask('证件号', 'id number'))
      .replace(/(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g, mask('电话', 'phone'))
      .replace(/(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g, mask('电话', 'phone'));
}
