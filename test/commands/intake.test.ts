import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuban } from '../../commands/duban.ts';
import { ADMIN, type CommandSession, LIAISON, openSeedSession, textOf } from '../support/command-session.ts';

describe('/duban intake parses', () => {
  it.each([
    ['intake', ''],
    ['立项', ''],
    ['交办录入 由住建局牵头，年底前完成。', '由住建局牵头，年底前完成。'],
    ['INTAKE  住建局要在6月底前完成改造', '住建局要在6月底前完成改造'],
  ])('%s', (typed, text) => {
    expect(parseDuban(typed)).toEqual({ sub: 'intake', text });
  });

  it('leaves other subcommands alone', () => {
    expect(parseDuban('import').sub).toBe('spreadsheet');
  });
});

describe('/duban intake where there are no forms (the console)', () => {
  let s: CommandSession;
  beforeAll(async () => {
    s = await openSeedSession();
  });
  afterAll(() => s.close());

  it('shows an admin the drafts of typed text, with their sources and no buttons', async () => {
    const reply = await s.ask('/duban intake 由住建局牵头，经发局配合，9月30日前完成40项城市更新项目。', {
      userId: ADMIN,
    });
    const text = textOf(reply);
    expect(text).toContain('交办草稿：粘贴的文字（1 项）');
    expect(text).toContain('*牵头*　住建局　_（原文“住建局”）_');
    expect(text).toContain('*时限*　9月30日　_（原文“9月30日前”）_');
    expect(text).toContain('*目标值*　40项');
    expect(reply.blocks.some((b) => b.type === 'actions' || (b.type === 'section' && b.button))).toBe(false);
  });

  it('shows the drafts in English to an English reader, quoting the Chinese text', async () => {
    const text = textOf(
      await s.ask('/duban intake 由住建局牵头，年底前完成老旧小区改造。', { userId: ADMIN, locale: 'en' }),
    );
    expect(text).toContain('Intake drafts: pasted text (1)');
    expect(text).toContain('*Lead*　HURDB　_（text: “住建局”）_');
    expect(text).toContain('*Item*　完成老旧小区改造　_（text: “完成老旧小区改造”）_');
    expect(text).toContain('*Deadline*　31 Dec');
  });

  it('says where intake is when given no text, in English too', async () => {
    expect(textOf(await s.ask('/duban intake', { userId: ADMIN, locale: 'en' }))).toContain('/duban intake');
  });

  it('answers a non-admin that only admins may', async () => {
    expect(textOf(await s.ask('/duban intake 住建局要年内完成。', { userId: LIAISON }))).toContain('只有督查室管理员');
  });
});
