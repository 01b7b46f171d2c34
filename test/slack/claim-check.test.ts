/**
 * 销号 with evidence, with the optional model on, through the real Bolt app against the fake OpenAI
 * server: a claim of done goes to review at once; the model's reading of the claim and its evidence
 * (names and addresses only, people masked) is added to the posted request afterwards with chat.update
 * — labelled, escaped, its quote kept only when it is the claim's own words. A failing model, a model
 * that finds nothing, or a model turned off leaves the request as posted.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readModelFromState } from '../../src/domain/read-model.ts';
import { seedModel, startTestApp, type TestApp } from '../support/app.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { buttonsOf, click, type MessageBody, postedBy, replyInThread, ZH_USER } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const ITEM = 'c-zx-frontline';
const FILE = {
  id: 'F0EVIDENCE2',
  name: '攻坚行动总结.pdf',
  permalink: 'https://duban-test.slack.com/files/U0LIAISON1/F0EVIDENCE2/zj.pdf',
};

/** A real report sentence that hedges (主体结束待验收), with its address (test/fixtures/evidence/hedges.json). */
const fixture = JSON.parse(readFileSync(new URL('../fixtures/evidence/hedges.json', import.meta.url), 'utf8')) as {
  cases: Array<{ text: string; source: string; hedges: string[] }>;
};
const REAL = fixture.cases.find((c) => c.text.startsWith('敬老院新扩建工程主体结束待验收'))!;
/** The claim: "done", then the real sentence as the rest of the report. */
const CLAIM = `“三个一线”攻坚行动已完成。${REAL.text}`;

/** The seed with 中兴街道's “三个一线”攻坚行动 (milestones dropped) assigned by a leader, ZH_USER its liaison. */
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

let t: TestApp;
let model: FakeOpenAi;

beforeAll(async () => {
  model = await startFakeOpenAi();
  t = await startTestApp({
    model: await assignedModel(),
    admins: [ADMIN],
    llm: {
      config: {
        baseURL: model.url,
        model: 'qwen-test',
        responseFormat: 'json_schema',
        timeoutMs: 1_000,
        maxRetries: 0,
      },
      breaker: { threshold: 100, cooldownMs: 60_000 },
    },
  });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN', name: 'liaison' });
  t.fake.setUser(ADMIN, { locale: 'zh-CN', name: 'office' });
});
afterAll(async () => {
  await t.close();
  await model.close();
});

async function setSwitches(llm: { enabled: boolean; departments: Record<string, boolean> }): Promise<void> {
  await t.store.transact((tx) => tx.replace({ ...tx.state, llm }));
}

beforeEach(async () => {
  model.reset();
  // On for 中兴街道 only: the department of the item.
  await setSwitches({ enabled: false, departments: { zhongxing: true } });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Claims the item done in its thread with a file (the claim differs per test: the model's answers are cached). */
async function claimDone(text: string) {
  const thread = (await postedBy(t, '/duban', 'status 中兴街道')).ts;
  const before = t.fake.calls.length;
  const reply = await replyInThread(t, thread, text, { extra: { subtype: 'file_share', files: [FILE] } });
  expect(reply.text).toContain('已提交督查室复核');
  const request = await t.fake.waitFor(
    (r): r is ApiCall =>
      r.kind === 'api' &&
      r.method === 'chat.postMessage' &&
      r.args.channel === ADMIN &&
      allText(r.args).includes('请复核') &&
      t.fake.calls.indexOf(r) >= before,
  );
  const posted = request.response as { channel: string; ts: string };
  return { request, posted };
}

function updateOf(posted: { channel: string; ts: string }, timeoutMs = 5_000): Promise<ApiCall> {
  return t.fake.waitFor(
    (r): r is ApiCall =>
      r.kind === 'api' && r.method === 'chat.update' && r.args.channel === posted.channel && r.args.ts === posted.ts,
    timeoutMs,
  );
}

function updatesOf(posted: { channel: string; ts: string }): ApiCall[] {
  return t.fake.calls.filter(
    (c): c is ApiCall =>
      c.kind === 'api' && c.method === 'chat.update' && c.args.channel === posted.channel && c.args.ts === posted.ts,
  );
}

const doubt = (concern: string, quote: string | null) => ({
  kind: 'json' as const,
  value: { matches: false, concern, quote },
});

describe('a claim of done with evidence, the model on for its department', () => {
  it('posts the review request first, then adds the model’s concern beside the rules’ flag', async () => {
    model.on('claim_check', {
      ...doubt('主体工程尚待验收，附属工程未开工，不宜视为办结。', '主体结束待验收'),
      delayMs: 300,
    });
    const { request, posted } = await claimDone(CLAIM);
    const first = allText(request.args);
    expect(first).toContain('⚠️ 报送用语「待验收」表示尚未全部完成');
    expect(first).not.toContain('🤖');
    const update = await updateOf(posted);
    expect(t.fake.calls.indexOf(update)).toBeGreaterThan(t.fake.calls.indexOf(request));
    const text = allText(update.args);
    expect(text).toContain('⚠️ 报送用语「待验收」表示尚未全部完成');
    expect(text).toContain(
      '🤖 模型（qwen-test）的判读，仅供参考，是否销号由督查室决定：主体工程尚待验收，附属工程未开工，不宜视为办结。（针对「主体结束待验收」）',
    );
    // The office still decides: both buttons are there, after the model's line.
    expect(buttonsOf(update.args as MessageBody).map((b) => b.text.text)).toEqual(['通过，销号', '退回']);
    expect(text.indexOf('🤖')).toBeLessThan(text.indexOf('通过，销号'));

    // What was sent: the claim and the file's name; never the permalink, nor anyone's Slack id.
    const [sent] = model.requestsFor('claim_check');
    expect(sent?.user).toContain('敬老院新扩建工程主体结束待验收');
    expect(sent?.user).toContain('攻坚行动总结.pdf');
    expect(sent?.user).not.toContain('duban-test.slack.com');
    expect(sent?.user).not.toContain('U0LIAISON1');
    expect(sent?.user).not.toContain(ZH_USER);
  });

  it('drops a quote that is not the claim’s own words, and escapes the concern', async () => {
    model.on(
      'claim_check',
      doubt('<!channel> 仅“基本完成”，<@U0ADMIN001> 不宜销号 <https://evil.example|点这里>', '基本完成'),
    );
    const { posted } = await claimDone(`${CLAIM}（二）`);
    const text = allText((await updateOf(posted)).args);
    expect(text).toContain('🤖 模型（qwen-test）的判读');
    expect(text).toContain('不宜销号');
    expect(text).not.toContain('针对');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0ADMIN001>');
    expect(text).not.toContain('evil.example');
  });

  it('a claim the model finds borne out: the request stays as posted', async () => {
    model.on('claim_check', { kind: 'json', value: { matches: true, concern: null, quote: null } });
    const { posted } = await claimDone(`${CLAIM}（三）`);
    await until(() => model.requestsFor('claim_check').length === 1);
    await sleep(200);
    expect(updatesOf(posted)).toEqual([]);
  });

  it('a failing model: the request stays as posted, and the liaison is told nothing more', async () => {
    model.on('claim_check', { kind: 'status', status: 500 });
    const { posted } = await claimDone(`${CLAIM}（四）`);
    await until(() => model.requestsFor('claim_check').length === 1);
    const after = t.fake.calls.length;
    await until(() => t.logs.some((l) => l.includes('the review request stays as posted')));
    await sleep(200);
    expect(updatesOf(posted)).toEqual([]);
    expect(
      t.fake.calls.slice(after).filter((c) => c.method.startsWith('chat.') && allText(c.args).includes('抱歉')),
    ).toEqual([]);
  });

  it('the same claim with the same evidence is read once (cached); both requests get the reading', async () => {
    model.on('claim_check', doubt('尚待验收，不宜视为办结。', '待验收'));
    const first = await claimDone(`${CLAIM}（七）`);
    expect(allText((await updateOf(first.posted)).args)).toContain('（针对「待验收」）');
    const second = await claimDone(`${CLAIM}（七）`);
    expect(allText((await updateOf(second.posted)).args)).toContain('尚待验收，不宜视为办结。');
    expect(model.requestsFor('claim_check')).toHaveLength(1);
  });

  it('decided before the model answers: the decision is not overwritten', async () => {
    model.on('claim_check', { ...doubt('尚待验收。', null), delayMs: 500 });
    const { request, posted } = await claimDone(`${CLAIM}（五）`);
    const approve = buttonsOf(request.args as MessageBody).find((b) => b.text.text === '通过，销号')!;
    await click(t, approve, ADMIN);
    await until(() => !t.store.model().db.reviews.some((r) => r.id === approve.value));
    await sleep(800);
    expect(model.requestsFor('claim_check')).toHaveLength(1);
    expect(updatesOf(posted).filter((u) => allText(u.args).includes('🤖'))).toEqual([]);
  });
});

describe('the model off', () => {
  it('only the rules’ flag, and no call to the model', async () => {
    await setSwitches({ enabled: false, departments: {} });
    const { request, posted } = await claimDone(`${CLAIM}（六）`);
    expect(allText(request.args)).toContain('⚠️ 报送用语「待验收」');
    await sleep(300);
    expect(model.requests).toEqual([]);
    expect(updatesOf(posted)).toEqual([]);
  });
});

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}
