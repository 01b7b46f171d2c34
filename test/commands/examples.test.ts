/**
 * The example commands a usage reply shows come from the catalogues, one per language: each that
 * names a department or an item must find it in the seed zone as typed, in either language, or the
 * example would teach a mistake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, messages } from '../../src/i18n/index.ts';
import { ADMIN, type CommandSession, openSeedSession, textOf } from '../support/command-session.ts';

let s: CommandSession;
beforeAll(async () => {
  s = await openSeedSession();
});
afterAll(async () => s.close());

const EXAMPLES = ['targets', 'projects', 'status', 'behind', 'summary', 'item'] as const;

describe.each(LOCALES)('the %s examples', (locale) => {
  const m = messages(locale);
  it.each(EXAMPLES)('%s works as typed', async (name) => {
    const example = m.examples[name];
    const text = textOf(await s.ask(example, { userId: ADMIN, locale }));
    expect(text, example).not.toContain(m.errors.usage(''));
    expect(text, example).not.toContain(m.errors.unknownName('').slice(0, 8));
  });

  it('are worded in the language: Chinese names in Chinese, none in English', () => {
    const han = /\p{Script=Han}/u;
    const all = [...EXAMPLES.map((n) => m.examples[n]), ...Object.values(m.examples.admin)];
    expect(all.some((e) => han.test(e))).toBe(locale === 'zh-CN');
  });
});
