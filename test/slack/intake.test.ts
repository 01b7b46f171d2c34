/**
 * Intake (立项 / 交办录入) through the real Bolt app and the fake Web API: `/duban intake` opens a form,
 * the pasted text is drafted into the admin's DM with each field's quoted source and what is missing,
 * Edit fills a draft in, Import all goes through the spreadsheet import's own preview and Import (one
 * `import` journal event, the audit trail), and a .txt or .docx sent in a DM is drafted the same way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/domain/journal.ts';
import { storedZip } from '../../src/spreadsheet/zip.ts';
import { BOT_TOKEN, startTestApp, type TestApp } from '../support/app.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { message } from '../support/slack-requests.ts';
import { ask, buttonsOf, click, type MessageBody } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const LIAISON = 'U0LIAISON9';
const dmOf = (user: string) => `D${user.slice(1)}`;

/** The three sentences of the seed article that hold its departments' commitments, as written there. */
const ARTICLE =
  '经济发展局的同志说,围绕“十年两千亿”的外延式愿景,推动量的合理增长,力争规上工业增加值7.5%以上,批发零售企稳回升。' +
  '住建局的同志胸有成竹:实施四大类共40项更新项目,促进城市品质提升与产业能级跃升有机统一。' +
  '中兴街道的同志表态:广泛开展“三个一线”攻坚行动,建强红色阵地和暖心驿站,以党建强基服务保障项目高效推进。';

let files: Server;
let filesOrigin: string;
const served = new Map<string, Buffer>();
let fileCount = 0;
let t: TestApp;

beforeAll(async () => {
  files = createServer((req, res) => {
    const bytes = served.get(req.url ?? '');
    if (!bytes || req.headers.authorization !== `Bearer ${BOT_TOKEN}`) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body>Sign in to Slack</body></html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
    res.end(bytes);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesOrigin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  t = await startTestApp({ admins: [ADMIN] });
  t.fake.setUser(ADMIN, { locale: 'zh-CN', name: 'office' });
  t.fake.setUser(LIAISON, { locale: 'zh-CN', name: 'liaison' });
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => files.close(() => resolve()));
});

const isDraftsMessage = (c: ApiCall) =>
  c.method === 'chat.postMessage' && /交办草稿|没有找到可起草/.test(allText(c.args));

/** Waits for duban's drafts message posted after `before`. */
async function draftsAfter(before: number): Promise<{ call: ApiCall; body: MessageBody; text: string }> {
  const call = await t.fake.waitFor(
    (r): r is ApiCall => r.kind === 'api' && isDraftsMessage(r as ApiCall) && t.fake.calls.indexOf(r) >= before,
    10_000,
  );
  return { call, body: call.args as MessageBody, text: allText(call.args) };
}

async function openPasteForm(userId: string): Promise<ApiCall> {
  const before = t.fake.calls.length;
  await t.slack.command({
    command: '/duban',
    text: 'intake',
    userId,
    channelId: 'C0GENERAL1',
    responseUrl: t.fake.responseUrl(`intake-${userId}-${before}`),
    triggerId: `trig-${before}`,
  });
  return t.fake.waitFor(
    (r): r is ApiCall => r.kind === 'api' && r.method === 'views.open' && t.fake.calls.indexOf(r) >= before,
  );
}

type EditValues = {
  name?: string;
  lead?: string;
  co?: string[];
  deadline?: string;
  value?: string;
  unit?: string;
  drop?: boolean;
};

/** Clicks Edit on draft `n` (from 1), checks the form opened, and submits `values` in it. */
async function editDraft(body: MessageBody, n: number, values: EditValues) {
  const edit = buttonsOf(body).filter((b) => b.text.text === '编辑')[n - 1]!;
  const before = t.fake.calls.length;
  await t.slack.action({
    actionId: edit.action_id,
    value: edit.value,
    userId: ADMIN,
    channelId: dmOf(ADMIN),
    responseUrl: t.fake.responseUrl(`edit-${before}`),
    triggerId: `trig-edit-${before}`,
  });
  const open = await t.fake.waitFor(
    (r): r is ApiCall => r.kind === 'api' && r.method === 'views.open' && t.fake.calls.indexOf(r) >= before,
  );
  const view = open.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
  const res = await t.slack.view({
    callbackId: view.callback_id,
    userId: ADMIN,
    privateMetadata: view.private_metadata,
    values: {
      name: { name: values.name ?? '' },
      lead: { lead: { type: 'static_select', selected_option: values.lead ? { value: values.lead } : null } },
      co: { co: { type: 'multi_static_select', selected_options: (values.co ?? []).map((value) => ({ value })) } },
      deadline: { deadline: { type: 'datepicker', selected_date: values.deadline ?? null } },
      value: { value: values.value ?? '' },
      unit: { unit: values.unit ?? '' },
      drop: { drop: { type: 'checkboxes', selected_options: values.drop ? [{ value: 'drop' }] : [] } },
    },
  });
  // A saved edit updates the drafts message; an edit refused inline does not.
  const update =
    res.text === ''
      ? await t.fake.waitFor(
          (r): r is ApiCall => r.kind === 'api' && r.method === 'chat.update' && t.fake.calls.indexOf(r) >= before,
        )
      : undefined;
  return { open, view, res, update };
}

async function importEvents(): Promise<Array<Extract<JournalEvent, { type: 'import' }>>> {
  return (await t.store.history()).filter((e): e is Extract<JournalEvent, { type: 'import' }> => e.type === 'import');
}

describe('/duban intake with pasted minutes', () => {
  let drafts: Awaited<ReturnType<typeof draftsAfter>>;
  let latest: MessageBody;

  it('opens a form with one long text field of at most 3000 characters, and says where longer text goes', async () => {
    const open = await openPasteForm(ADMIN);
    expect(open.ok).toBe(true);
    const view = open.args.view as { callback_id: string; blocks: Array<{ element: Record<string, unknown> }> };
    expect(view.callback_id).toBe('duban.intake.paste');
    expect(view.blocks[0]!.element).toMatchObject({ type: 'plain_text_input', multiline: true, max_length: 3000 });
    expect(allText(view)).toContain('最多 3000 字');
    expect(allText(view)).toContain('.docx 或 .txt');
  });

  it('answers an empty submission inline, naming the field with an example', async () => {
    const res = await t.slack.view({
      callbackId: 'duban.intake.paste',
      userId: ADMIN,
      values: { text: { text: '  ' } },
    });
    expect(res.json()).toMatchObject({
      response_action: 'errors',
      errors: { text: expect.stringContaining('由住建局牵头') },
    });
  });

  it('answers text over Slack’s 3000 characters inline, saying to send it as a file', async () => {
    const res = await t.slack.view({
      callbackId: 'duban.intake.paste',
      userId: ADMIN,
      values: { text: { text: '住'.repeat(3001) } },
    });
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: {
        text: '这段文字有 3001 字，超过 Slack 输入框 3000 字的上限。请把原文存为 .docx 或 .txt，私信发给督办。',
      },
    });
  });

  it('drafts the seed article into the DM: each field with its quoted source, and what is missing', async () => {
    const before = t.fake.calls.length;
    const res = await t.slack.view({
      callbackId: 'duban.intake.paste',
      userId: ADMIN,
      values: { text: { text: ARTICLE } },
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    drafts = await draftsAfter(before);
    latest = drafts.body;
    expect(drafts.call.args.channel).toBe(dmOf(ADMIN));
    expect(drafts.text).toContain('交办草稿：粘贴的文字（3 项）');
    expect(drafts.text).toContain('按规则起草');
    expect(drafts.text).toContain('*事项*　规上工业增加值　_（原文“规上工业增加值”）_');
    expect(drafts.text).toContain('*牵头*　经发局　_（原文“经济发展局”）_');
    expect(drafts.text).toContain('*目标值*　≥ 7.5%　_（原文“7.5%以上”）_');
    expect(drafts.text).toContain('*目标值*　40项　_（原文“40项”）_');
    expect(drafts.text).toContain('广泛开展“三个一线”攻坚行动');
    expect(drafts.text).toContain('*时限*　_待填写_');
    expect(drafts.text).toContain('缺时限，补全后才能导入');
    expect(buttonsOf(drafts.body).map((b) => b.text.text)).toEqual([
      '编辑',
      '编辑',
      '编辑',
      '先补全 #1、#2、#3',
      '放弃草稿',
    ]);
  });

  it('refuses to import while a draft lacks its deadline, saying which', async () => {
    const revision = t.store.model().revision;
    const blocked = buttonsOf(latest).find((b) => b.text.text.startsWith('先补全'))!;
    const answer = await click(t, blocked, ADMIN);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain('#1、#2、#3 缺少事项名称、牵头单位或时限');
    expect(t.store.model().revision).toBe(revision);
  });

  it('opens Edit with the drafted fields and their sources, and checks what is typed', async () => {
    const { view, res } = await editDraft(latest, 1, {
      name: '规上工业增加值增长',
      lead: 'edb',
      value: 'seven',
      unit: '%',
    });
    expect(view.callback_id).toBe('duban.intake.edit.form');
    expect(allText(view)).toContain('原文出处：“经济发展局”');
    const blocks = view.blocks as Array<{ block_id?: string; element?: Record<string, unknown> }>;
    expect(blocks.find((b) => b.block_id === 'name')?.element?.initial_value).toBe('规上工业增加值');
    expect(blocks.find((b) => b.block_id === 'lead')?.element?.initial_option).toMatchObject({ value: 'edb' });
    expect(blocks.find((b) => b.block_id === 'value')?.element?.initial_value).toBe('7.5');
    expect(res.json()).toEqual({ response_action: 'errors', errors: { value: '目标值请填数字，例如 7.5 或 40。' } });
  });

  it('updates the drafts message after an edit: typed fields are marked as the admin’s', async () => {
    const { res, update } = await editDraft(latest, 1, {
      name: '规上工业增加值增长',
      lead: 'edb',
      co: ['ipb'],
      deadline: '2026-12-31',
      value: '7.5',
      unit: '%',
    });
    expect(res.text).toBe('');
    if (!update) throw new Error('the drafts message was not updated');
    expect(update.args.ts).toBe((drafts.call.response as { ts: string }).ts);
    const text = allText(update.args);
    expect(text).toContain('*事项*　规上工业增加值增长　_（管理员填写）_');
    expect(text).toContain('*时限*　12月31日　_（管理员填写）_');
    expect(text).toContain('*配合*　投促局');
    // The figure was left as drafted: it keeps its source.
    expect(text).toContain('*目标值*　≥ 7.5%　_（原文“7.5%以上”）_');
    latest = update.args as MessageBody;
    expect(buttonsOf(latest).map((b) => b.text.text)).toContain('先补全 #2、#3');
  });

  it('imports through the spreadsheet preview once every draft is complete or left out', async () => {
    await editDraft(latest, 2, {
      name: '实施四大类共40项更新项目',
      lead: 'hurdb',
      deadline: '2026-12-31',
      value: '40',
      unit: '项',
    });
    const { update } = await editDraft(latest, 3, {
      name: '广泛开展“三个一线”攻坚行动',
      lead: 'zhongxing',
      drop: true,
    });
    latest = update!.args as MessageBody;
    expect(allText(latest)).toContain('（不导入）');
    const all = buttonsOf(latest).find((b) => b.text.text === '全部导入（2 项）')!;
    expect(all).toBeDefined();
    const revision = t.store.model().revision;
    const preview = await click(t, all, ADMIN);
    expect(preview.body.replace_original).toBe(true);
    expect(preview.text).toContain('导入预览：交办：粘贴的文字');
    expect(preview.text).toContain('*指标*　新增 2，修改 0，不变 0');
    expect(preview.text).toContain('*承诺事项*　新增 2，修改 0，不变 0');
    expect(t.store.model().revision).toBe(revision);

    const apply = buttonsOf(preview.body).find((b) => b.text.text === '确认导入')!;
    const applied = await click(t, apply, ADMIN);
    expect(applied.text).toContain('✅ 已导入 交办：粘贴的文字');

    const db = t.store.model().db;
    const edb = db.commitments.find((c) => c.name.zh === '规上工业增加值增长')!;
    expect(edb).toMatchObject({
      departmentId: 'edb',
      coDepartmentIds: ['ipb'],
      period: { end: '2026-12-31' },
      assignment: { source: 'meeting', by: ADMIN, quote: expect.stringContaining('力争规上工业增加值7.5%以上') },
      source: expect.stringContaining('经济发展局的同志说'),
    });
    expect(db.targets.find((x) => x.id === edb.targetIds[0])).toMatchObject({
      kind: 'level',
      target: 7.5,
      unit: { zh: '%' },
      comparator: 'atLeast',
    });
    const hurdb = db.commitments.find((c) => c.name.zh === '实施四大类共40项更新项目')!;
    expect(db.targets.find((x) => x.id === hurdb.targetIds[0])).toMatchObject({ kind: 'cumulative', target: 40 });
    expect(db.commitments.some((c) => c.name.zh.includes('三个一线') && c.assignment)).toBe(false);
    const [event] = (await importEvents()).slice(-1);
    expect(event).toMatchObject({ by: ADMIN, file: '交办：粘贴的文字' });
    expect(event?.summary).toMatchObject({ commitments: { added: 2 } });
  });

  it('shows the import in the audit trail', async () => {
    const audit = await ask(t, '/duban', 'audit', ADMIN);
    expect(audit.text).toContain('交办：粘贴的文字');
  });

  it('answers the old drafts’ buttons as gone once imported', async () => {
    const edit = buttonsOf(latest).find((b) => b.text.text === '编辑')!;
    const answer = await click(t, edit, ADMIN);
    expect(answer.text).toContain('这份草稿已导入、已放弃或已过期');
  });
});

describe('who may use intake', () => {
  it('answers a non-admin politely, only to them, and opens no form', async () => {
    const answer = await ask(t, '/duban', 'intake', LIAISON);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain('只有督查室管理员');
    expect(t.fake.calls.some((c) => c.method === 'views.open' && String(c.args.trigger_id).includes('LIAISON'))).toBe(
      false,
    );
  });
});

describe('a document sent to duban in a DM', () => {
  async function share(bytes: Buffer, name: string) {
    fileCount += 1;
    const id = `F0DOC${String(fileCount).padStart(6, '0')}`;
    const path = `/files-pri/T0DUBAN01-${id}/download/${encodeURIComponent(name)}`;
    served.set(path, bytes);
    const before = t.fake.calls.length;
    const res = await t.slack.event(
      message({
        text: '',
        userId: ADMIN,
        channelId: dmOf(ADMIN),
        subtype: 'file_share',
        extra: {
          files: [{ id, name, title: name, size: bytes.length, url_private_download: `${filesOrigin}${path}` }],
          upload: true,
        },
      }),
    );
    expect(res.status).toBe(200);
    const call = await t.fake.waitFor(
      (r): r is ApiCall =>
        r.kind === 'api' &&
        r.method === 'chat.postMessage' &&
        r.args.channel === dmOf(ADMIN) &&
        t.fake.calls.indexOf(r) >= before,
      10_000,
    );
    return { body: call.args as MessageBody, text: allText(call.args) };
  }

  it('drafts a .txt saved by Chinese Windows (GBK) like pasted text', async () => {
    const text = '由住建局牵头，经发局配合，9月30日前完成3万平方米老旧小区改造。';
    const { text: shown } = await share(iconv.encode(text, 'gb18030'), '纪要.txt');
    expect(shown).toContain('交办草稿：纪要.txt（1 项）');
    expect(shown).toContain('*牵头*　住建局　_（原文“住建局”）_');
    expect(shown).toContain('*配合*　经发局');
    expect(shown).toContain('*时限*　9月30日　_（原文“9月30日前”）_');
    expect(shown).toContain('*目标值*　3万平方米');
  });

  it('drafts a .docx from its paragraphs', async () => {
    const paragraph = (s: string) => `<w:p><w:r><w:t xml:space="preserve">${s}</w:t></w:r></w:p>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="x"><w:body>${paragraph(
      '1.努力实现地区生产总值增长6.2%左右。',
    )}${paragraph('牵头单位：经发局')}${paragraph('责任单位：科创局、投促局')}</w:body></w:document>`;
    const docx = storedZip([{ name: 'word/document.xml', data: Buffer.from(xml, 'utf8') }]);
    const { body, text } = await share(docx, '任务分解.docx');
    expect(text).toContain('交办草稿：任务分解.docx（1 项）');
    expect(text).toContain('*事项*　地区生产总值增长');
    expect(text).toContain('*牵头*　经发局　_（原文“经发局”）_');
    expect(text).toContain('*配合*　科创局、投促局');
    expect(text).toContain('*目标值*　6.2%');
    expect(buttonsOf(body).map((b) => b.text.text)).toContain('先补全 #1');
  });

  it('says so when a .docx cannot be read', async () => {
    const { text } = await share(Buffer.from('not a zip at all'), '损坏.docx');
    expect(text).toContain('无法读取 损坏.docx');
  });

  it('discards drafts on Discard, writing nothing', async () => {
    const { body } = await share(Buffer.from('住建局要在6月底前完成改造。', 'utf8'), '通知.txt');
    const revision = t.store.model().revision;
    const answer = await click(t, buttonsOf(body).find((b) => b.text.text === '放弃草稿')!, ADMIN);
    expect(answer.text).toContain('已放弃这份交办草稿');
    expect(t.store.model().revision).toBe(revision);
  });
});

describe('with the model on', () => {
  let m: TestApp;
  let model: FakeOpenAi;

  beforeAll(async () => {
    model = await startFakeOpenAi();
    m = await startTestApp({
      admins: [ADMIN],
      llm: {
        config: {
          baseURL: model.url,
          model: 'qwen-test',
          responseFormat: 'json_schema',
          timeoutMs: 1_000,
          maxRetries: 0,
        },
      },
    });
    m.fake.setUser(ADMIN, { locale: 'zh-CN' });
    await m.store.transact((tx) => tx.replace({ ...tx.state, llm: { enabled: true, departments: {} } }));
  });
  afterAll(async () => {
    await m.close();
    await model.close();
  });

  it('lets the model draft, keeping only fields quoted verbatim from the text', async () => {
    const text = '住建局要在9月30日前完成40项城市更新项目。';
    model.on('intake_drafts', {
      kind: 'json',
      value: {
        drafts: [
          {
            sentence: text,
            name: { value: '完成40项城市更新项目', quote: '完成40项城市更新项目' },
            lead: { department: '住建局', quote: '住建局' },
            co: [{ department: '经发局', quote: '经发局配合' }],
            deadline: { date: '2026-09-30', quote: '9月30日前' },
            figure: { value: 45, unit: '项', comparator: null, quote: '40项' },
          },
        ],
      },
    });
    const before = m.fake.calls.length;
    await m.slack.view({ callbackId: 'duban.intake.paste', userId: ADMIN, values: { text: { text } } });
    const call = await m.fake.waitFor(
      (r): r is ApiCall => r.kind === 'api' && r.method === 'chat.postMessage' && m.fake.calls.indexOf(r) >= before,
      10_000,
    );
    const shown = allText(call.args);
    expect(model.requestsFor('intake_drafts')).toHaveLength(1);
    expect(shown).toContain('由模型（qwen-test）起草');
    expect(shown).toContain('*牵头*　住建局　_（原文“住建局”）_');
    expect(shown).toContain('*时限*　9月30日');
    // The supporting department is not in the text, and 45 is not what its quote says: both dropped.
    expect(shown).not.toContain('*配合*');
    expect(shown).not.toContain('*目标值*');
  });

  it('drafts by rules when the model fails', async () => {
    model.on('intake_drafts', { kind: 'status', status: 500 });
    const before = m.fake.calls.length;
    await m.slack.view({
      callbackId: 'duban.intake.paste',
      userId: ADMIN,
      values: { text: { text: '由住建局牵头，年底前完成老旧小区改造。' } },
    });
    const call = await m.fake.waitFor(
      (r): r is ApiCall => r.kind === 'api' && r.method === 'chat.postMessage' && m.fake.calls.indexOf(r) >= before,
      10_000,
    );
    expect(allText(call.args)).toContain('按规则起草');
    expect(allText(call.args)).toContain('*时限*　12月31日');
  });
});
