/**
 * 销号 with evidence through the real Bolt app: a claim of done on an assigned commitment (交办) without
 * a file or link records nothing and asks for one; with a link or a file it goes to review with the
 * claim and the evidence side by side (hedging words flagged); an admin may waive the evidence.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/domain/journal.ts';
import { readModelFromState } from '../../src/domain/read-model.ts';
import { seedModel, startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { ask, buttonsOf, CHANNEL, type MessageBody, postedBy, replyInThread, ZH_USER } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const ITEM = 'c-zx-frontline';

let t: TestApp;

/** The seed with 中兴街道's “三个一线”攻坚行动 (its milestones dropped) assigned (交办) by a leader's instruction, and ZH_USER its liaison. */
async function assignedModel() {
  const base = await seedModel();
  const db = base.db;
  const state = {
    ...db,
    departments: db.departments.map((d) =>
      d.id === 'zhongxing' || d.id === 'hurdb' ? { ...d, memberIds: [ZH_USER] } : d,
    ),
    commitments: db.commitments.map((c) =>
      c.id === ITEM
        ? {
            ...c,
            // Without milestones: "已全部完成" then claims the whole item, not one of its milestones.
            milestones: [],
            assignment: {
              source: 'instruction' as const,
              urgency: 'normal' as const,
              by: ADMIN,
              at: '2026-03-01T01:00:00.000Z',
            },
          }
        : c,
    ),
  };
  return readModelFromState(state, 'Asia/Shanghai', 0, undefined, base.calendar);
}

beforeEach(async () => {
  t = await startTestApp({ model: await assignedModel(), admins: [ADMIN] });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN', name: 'liaison' });
  t.fake.setUser(ADMIN, { locale: 'zh-CN', name: 'office' });
});
afterEach(async () => t.close());

async function updates(): Promise<Array<Extract<JournalEvent, { type: 'update' }>>> {
  return (await t.store.history({ itemId: ITEM })).filter(
    (e): e is Extract<JournalEvent, { type: 'update' }> => e.type === 'update',
  );
}

function reviewPosted(before: number): Promise<ApiCall> {
  return t.fake.waitFor(
    (r): r is ApiCall =>
      r.kind === 'api' &&
      r.method === 'chat.postMessage' &&
      r.args.channel === ADMIN &&
      allText(r.args).includes('请复核') &&
      t.fake.calls.indexOf(r) >= before,
  );
}

describe('a claim of done on an assigned item', () => {
  it('without evidence: records nothing, sends nothing to review, and says how to add evidence', async () => {
    const thread = (await postedBy(t, '/duban', 'status 中兴街道')).ts;
    const before = (await updates()).length;
    const reply = await replyInThread(t, thread, '“三个一线”攻坚行动已全部完成');
    expect(reply.call.method).toBe('chat.postMessage');
    expect(reply.text).toContain('「“三个一线”攻坚行动」销号需要佐证（文件或链接）');
    expect(reply.text).toContain('这条回复没有记录，也没有送督查室复核');
    expect(reply.text).toContain('附上文件或粘贴链接');
    expect(buttonsOf(reply.call.args as MessageBody).map((b) => b.text.text)).toEqual(['免佐证销号（督查室）']);
    expect(await updates()).toHaveLength(before);
    expect(t.store.model().db.reviews).toEqual([]);
    expect(t.fake.calls.some((c) => c.kind === 'api' && c.method === 'reactions.add')).toBe(false);
  });

  it('with a file: goes to review with the claim and the evidence side by side, hedging flagged', async () => {
    const thread = (await postedBy(t, '/duban', 'status 中兴街道')).ts;
    const before = t.fake.calls.length;
    const reply = await replyInThread(t, thread, '“三个一线”攻坚行动已完成，主体工作基本完成，附总结', {
      extra: {
        subtype: 'file_share',
        files: [
          {
            id: 'F0EVIDENCE2',
            name: '攻坚行动总结.pdf',
            permalink: 'https://duban-test.slack.com/files/U0LIAISON1/F0EVIDENCE2/zj.pdf',
          },
        ],
      },
    });
    expect(reply.text).toContain('已提交督查室复核');
    const request = await reviewPosted(before);
    const text = allText(request.args);
    expect(text).toContain('*报送内容* | *佐证*');
    expect(text).toContain('主体工作基本完成');
    expect(text).toContain('文件：攻坚行动总结.pdf https://duban-test.slack.com/files/U0LIAISON1/F0EVIDENCE2/zj.pdf');
    expect(text).toContain('⚠️ 报送用语「基本完成」表示尚未全部完成，不等于办结');
    const [last] = (await updates()).slice(-1);
    expect(last?.update).toMatchObject({ state: 'done', reviewId: expect.any(String) });
    expect(last?.update.evidenceWaived).toBeUndefined();
  });

  it('with a link in /progress: goes to review, no hedge flag on a plain claim', async () => {
    const before = t.fake.calls.length;
    const answer = await ask(t, '/progress', `${ITEM} 已全部完成，验收材料 <https://www.example.gov.cn/ys.pdf>`);
    expect(answer.text).toContain('已提交督查室复核');
    const request = await reviewPosted(before);
    expect(allText(request.args)).toContain('https://www.example.gov.cn/ys.pdf');
    expect(allText(request.args)).not.toContain('⚠️');
  });

  it('an admin waives the evidence with the button: closed, audited; others cannot', async () => {
    const thread = (await postedBy(t, '/duban', 'status 中兴街道')).ts;
    const n = t.store.model().numberOf(ITEM)!;
    const reply = await replyInThread(t, thread, '“三个一线”攻坚行动已全部完成');
    const waive = buttonsOf(reply.call.args as MessageBody)[0]!;
    const click = async (userId: string, id: string) => {
      await t.slack.action({
        actionId: waive.action_id,
        value: waive.value,
        userId,
        channelId: CHANNEL,
        responseUrl: t.fake.responseUrl(id),
      });
      const r = await t.fake.waitFor((x) => x.kind === 'response' && x.id === id);
      return allText((r as { body: unknown }).body);
    };
    expect(await click(ZH_USER, 'waive-1')).toContain('只有督查室管理员');
    expect(t.store.model().evaluate('2026-11-28').byId.get(ITEM)?.status).not.toBe('done');
    expect(await click(ADMIN, 'waive-2')).toContain('督查室已免佐证为「“三个一线”攻坚行动」销号');
    expect(t.store.model().evaluate('2026-11-28').byId.get(ITEM)?.status).toBe('done');
    const [last] = (await updates()).slice(-1);
    expect(last?.update).toMatchObject({
      state: 'done',
      by: ADMIN,
      evidenceWaived: true,
      note: '“三个一线”攻坚行动已全部完成',
    });
    const count = (await updates()).length;
    expect(await click(ADMIN, 'waive-3')).toContain('「“三个一线”攻坚行动」已销号');
    expect(await updates()).toHaveLength(count);
    const audit = await ask(t, '/duban', `audit #${n}`, ADMIN);
    expect(audit.text).toContain('（免佐证销号）');
  });

  it('is not asked of an item that was not assigned (the default setting)', async () => {
    const before = t.fake.calls.length;
    const answer = await ask(t, '/progress', 'ur-03 已全部完成');
    expect(answer.text).toContain('已提交督查室复核');
    await reviewPosted(before);
  });
});
