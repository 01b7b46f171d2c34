/**
 * One item by the short number every list shows (#12), whatever its kind: `/duban #12`, `/duban item
 * 12`, `/duban 事项 <name>`, `#12` in `/targets` and `/projects`, and "@督办 #12 进展如何".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveItemRef } from '../../commands/item-ref.ts';
import { messages } from '../../src/i18n/index.ts';
import { ADMIN, type CommandSession, openSeedSession, textOf } from '../support/command-session.ts';

let s: CommandSession;
beforeAll(async () => {
  s = await openSeedSession();
});
afterAll(async () => s.close());

const numberOf = (id: string) => s.store.model().numberOf(id)!;
const PROJECT = 'ur-32';
const TARGET = 't-hurdb-renewal-starts';

describe('resolving what names an item', () => {
  it.each([
    ['#N', (n: number) => `#${n}`],
    ['full-width ＃N', (n: number) => `＃${n}`],
    ['#N号', (n: number) => `#${n}号`],
    ['a bare number', (n: number) => `${n}`],
  ])('%s finds the item numbered N', (_case, ref) => {
    const found = resolveItemRef(ref(numberOf(PROJECT)), s.store.model());
    expect(found.kind === 'one' && found.item.id).toBe(PROJECT);
  });

  it('finds an item by its id and by the only name that matches', () => {
    const model = s.store.model();
    const byId = resolveItemRef(TARGET, model);
    expect(byId.kind === 'one' && byId.item.id).toBe(TARGET);
    expect(resolveItemRef('老旧小区', model).kind).toBe('many');
  });

  it.each([
    ['#99999', 'unknown_number'],
    ['99999', 'unknown_number'],
    ['没有这个事项', 'none'],
  ])('%s is %s', (ref, kind) => {
    expect(resolveItemRef(ref, s.store.model()).kind).toBe(kind);
  });
});

describe('/duban #12 and its kin', () => {
  it.each([
    ['/duban #N', (n: number) => `/duban #${n}`],
    ['/duban item N', (n: number) => `/duban item ${n}`],
    ['/duban 事项 #N', (n: number) => `/duban 事项 #${n}`],
    ['/targets #N (a project)', (n: number) => `/targets #${n}`],
    ['/projects #N', (n: number) => `/projects #${n}`],
  ])('%s shows the item’s detail', async (_case, line) => {
    const reply = await s.ask(line(numberOf(PROJECT)), { userId: ADMIN });
    expect(reply.blocks?.[0]).toMatchObject({ type: 'header', text: '综保区生活配套街区更新' });
    expect(textOf(reply)).toContain(`#${numberOf(PROJECT)}`);
  });

  it('answers an unknown number politely, with an example, in the asker’s language', async () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const m = messages(locale);
      const reply = await s.ask('/duban #99999', { userId: ADMIN, locale });
      expect(reply.visibility).toBe('ephemeral');
      expect(textOf(reply)).toContain(m.item.unknownNumber('#99999'));
      expect(textOf(reply)).toContain(m.examples.item);
    }
  });

  it('lists the items when a name matches several', async () => {
    const text = textOf(await s.ask('/duban 事项 老旧小区', { userId: ADMIN }));
    expect(text).toContain('与「老旧小区」相关的事项');
    expect(text).toContain('海晏新村老旧小区改造');
  });

  it('answers "@督办 #12 进展如何" with the item', () => {
    const n = numberOf(TARGET);
    for (const question of [`#${n} 进展如何`, `how is #${n} doing?`]) {
      expect(s.mention(question, { userId: ADMIN }).blocks?.[0]).toMatchObject({ type: 'header' });
      expect(textOf(s.mention(question, { userId: ADMIN }))).toContain(`#${n}`);
    }
  });
});
