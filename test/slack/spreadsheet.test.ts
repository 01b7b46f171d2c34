/**
 * Spreadsheets through Slack, through the real Bolt app and the fake Web API: an admin sends an
 * .xlsx or .csv to duban in a DM and gets the dry run with Import / Cancel; Import applies it and
 * records it in the audit trail; problems, non-admins and hostile files are answered politely; and
 * /duban export uploads the ledger or the bulletin to the requester's DM.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/domain/journal.ts';
import { downloadSlackFile, isTrustedFileUrl } from '../../src/slack/listeners/files.ts';
import { stopIdleReaders } from '../../src/spreadsheet/isolated.ts';
import { csvText, loadWorkbook, xlsx } from '../spreadsheet/helpers.ts';
import { rowsBomb, wholeSheetMerge } from '../spreadsheet/hostile-files.ts';
import { BOT_TOKEN, startTestApp, type TestApp } from '../support/app.ts';
import { allText } from '../support/fake-slack.ts';
import { message } from '../support/slack-requests.ts';
import { ask, buttonsOf, click, type MessageBody, RAW_MENTION, sectionTexts } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const EN_ADMIN = 'U0ADMIN002';
const LIAISON = 'U0LIAISON9';
const dmOf = (user: string) => `D${user.slice(1)}`;

/** Serves uploaded files the way files.slack.com does for `url_private_download`, recording who asked with what. */
type Served = { path: string; headers: IncomingHttpHeaders };
let files: Server;
let filesOrigin: string;
const served = new Map<string, Buffer>();
const requests: Served[] = [];
let fileCount = 0;

let t: TestApp;

beforeAll(async () => {
  files = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    const redirect = /^\/redirect\?to=(.+)$/.exec(req.url ?? '');
    if (redirect) {
      res.writeHead(302, { location: decodeURIComponent(redirect[1]!) });
      res.end();
      return;
    }
    if (req.url === '/endless' && req.headers.authorization === `Bearer ${BOT_TOKEN}`) {
      // No content-length: the size is only known as it arrives.
      res.writeHead(200, { 'content-type': 'text/csv' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const push = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64) res.once('drain', push);
        else res.end();
      };
      push();
      return;
    }
    const bytes = served.get(req.url ?? '');
    const auth = req.headers.authorization;
    if (!bytes || auth !== `Bearer ${BOT_TOKEN}`) {
      // Slack answers a request without a valid token with its sign-in page.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
    res.end(bytes);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesOrigin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  t = await startTestApp({ admins: [ADMIN, EN_ADMIN] });
  t.fake.setUser(ADMIN, { locale: 'zh-CN', name: 'office' });
  t.fake.setUser(EN_ADMIN, { locale: 'en-US', name: 'office-en' });
  t.fake.setUser(LIAISON, { locale: 'zh-CN', name: 'liaison' });
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => files.close(() => resolve()));
});

type FileOptions = { size?: number; url?: string; serve?: boolean; more?: number };

/** Shares a file with duban in a DM (a file_share message event) and waits for duban's answer in that DM. */
async function shareInDm(userId: string, bytes: Buffer, name: string, opts: FileOptions = {}) {
  fileCount += 1;
  const id = `F0UP${String(fileCount).padStart(6, '0')}`;
  const path = `/files-pri/T0DUBAN01-${id}/download/${encodeURIComponent(name)}`;
  if (opts.serve !== false) served.set(path, bytes);
  const file = (fid: string) => ({
    id: fid,
    name,
    title: name,
    mimetype: 'application/octet-stream',
    size: opts.size ?? bytes.length,
    url_private: `${filesOrigin}/files-pri/T0DUBAN01-${fid}/${encodeURIComponent(name)}`,
    url_private_download: opts.url ?? `${filesOrigin}${path}`,
  });
  const extra = {
    files: [file(id), ...Array.from({ length: opts.more ?? 0 }, (_, i) => file(`${id}X${i}`))],
    upload: true,
  };
  const before = t.fake.calls.length;
  const channel = dmOf(userId);
  const res = await t.slack.event(message({ text: '', userId, channelId: channel, subtype: 'file_share', extra }));
  expect(res.status).toBe(200);
  const posted = () =>
    t.fake.calls.slice(before).filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
  // Files are read in a worker thread; the first upload starts it (about a second on a busy machine).
  await t.fake.waitFor(
    () =>
      posted().some(
        (c) =>
          buttonsOf(c.args as MessageBody).length > 0 ||
          /预览|Import preview|问题|problem|管理员|admins|无法|could not|太大|too large|JSON|无需|nothing to import/.test(
            allText(c.args),
          ),
      ),
    15_000,
  );
  const calls = posted();
  const last = calls[calls.length - 1]!;
  return { call: last, all: calls, body: last.args as MessageBody, text: calls.map((c) => allText(c.args)).join('\n') };
}

async function importEvents(): Promise<Array<Extract<JournalEvent, { type: 'import' }>>> {
  return (await t.store.history()).filter((e): e is Extract<JournalEvent, { type: 'import' }> => e.type === 'import');
}

const target = (id: string) => t.store.model().db.targets.find((x) => x.id === id);

const TARGETS_HEAD = ['牵头单位', '指标名称', '目标值', '单位', '完成时限'];

describe('an admin sends a spreadsheet to duban in a DM', () => {
  let preview: Awaited<ReturnType<typeof shareInDm>>;
  const revision = () => t.store.model().revision;
  let before: number;

  beforeAll(async () => {
    before = revision();
    const bytes = await xlsx({
      指标: [
        TARGETS_HEAD,
        ['住建局', '海绵城市改造面积', 120, '万平方米', '2026-12-31'],
        ['住建局', '城市更新项目开工数', 45, '项', '2026-12-31'],
      ],
    });
    preview = await shareInDm(ADMIN, bytes, 'targets-2026.xlsx');
  });

  it('downloads it with the bot token and answers with the dry run: counts per kind, names, Import and Cancel', () => {
    const download = requests.find((r) => r.path.includes('targets-2026.xlsx'));
    expect(download?.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(preview.text).toContain('导入预览：targets-2026.xlsx');
    expect(preview.text).toContain('*指标*　新增 1，修改 1，不变 0');
    expect(preview.text).toContain('新增：海绵城市改造面积');
    expect(preview.text).toContain('修改：城市更新项目开工数');
    expect(buttonsOf(preview.body).map((b) => b.text.text)).toEqual(['确认导入', '取消']);
  });

  it('has written nothing yet', () => {
    expect(revision()).toBe(before);
    expect(target('t-hurdb-renewal-starts')?.target).toBe(40);
  });

  it('applies it on Import, recorded in the journal and the audit trail with the admin', async () => {
    const apply = buttonsOf(preview.body).find((b) => b.text.text === '确认导入')!;
    const answer = await click(t, apply, ADMIN);
    expect(answer.body.replace_original).toBe(true);
    expect(answer.text).toContain('✅ 已导入 targets-2026.xlsx');
    expect(answer.text).toContain(`<@${ADMIN}>`);
    expect(target('t-hurdb-renewal-starts')?.target).toBe(45);
    expect(t.store.model().db.targets.find((x) => x.name.zh === '海绵城市改造面积')).toMatchObject({
      departmentId: 'hurdb',
      target: 120,
      unit: { zh: '万平方米' },
    });
    const [event] = (await importEvents()).slice(-1);
    expect(event).toMatchObject({
      by: ADMIN,
      file: 'targets-2026.xlsx',
      summary: { targets: { added: 1, changed: 1 } },
    });
    const audit = await ask(t, '/duban', 'audit', ADMIN);
    expect(audit.text).toContain('导入 targets-2026.xlsx');
  });

  it('answers a second click with "expired" and imports nothing twice', async () => {
    const apply = buttonsOf(preview.body).find((b) => b.text.text === '确认导入')!;
    // The first click: this test's own, or already made by the test before it.
    await click(t, apply, ADMIN);
    expect(target('t-hurdb-renewal-starts')?.target).toBe(45);
    const count = (await importEvents()).length;
    const again = await click(t, apply, ADMIN);
    expect(again.body.replace_original).toBe(false);
    expect(again.text).toContain('已过期');
    expect((await importEvents()).length).toBe(count);
  });
});

describe('Cancel', () => {
  it('discards the upload, changes nothing, and a later Import finds it expired', async () => {
    const bytes = await xlsx({ 指标: [TARGETS_HEAD, ['经发局', '外贸进出口总额增速', 5, '%', '2026-12-31']] });
    const preview = await shareInDm(ADMIN, bytes, 'cancel-me.xlsx');
    const count = (await importEvents()).length;
    const revision = t.store.model().revision;
    const [apply, cancel] = buttonsOf(preview.body);
    const cancelled = await click(t, cancel!, ADMIN);
    expect(cancelled.body.replace_original).toBe(true);
    expect(cancelled.text).toContain('已取消导入 cancel-me.xlsx，未做任何修改');
    const late = await click(t, apply!, ADMIN);
    expect(late.text).toContain('已过期');
    expect(t.store.model().revision).toBe(revision);
    expect((await importEvents()).length).toBe(count);
    expect(t.store.model().db.targets.some((x) => x.name.zh === '外贸进出口总额增速')).toBe(false);
  });
});

describe('files with problems', () => {
  it('lists each problem by sheet, row and column, offers no button and writes nothing', async () => {
    const revision = t.store.model().revision;
    const bytes = await xlsx({
      指标: [
        TARGETS_HEAD,
        ['住建局', '老旧小区改造户数', '约7.5', '户', '2026-12-31'],
        ['不存在局', '某指标', 3, '个', '2026-12-31'],
      ],
    });
    const answer = await shareInDm(ADMIN, bytes, 'bad.xlsx');
    expect(answer.text).toContain('bad.xlsx 有 2 处问题，未导入任何内容');
    expect(answer.text).toContain('『指标』第 2 行『目标值』不是数字：『约7.5』');
    expect(answer.text).toMatch(/『指标』第 3 行『牵头单位』.*不存在局/);
    expect(buttonsOf(answer.body)).toEqual([]);
    expect(t.store.model().revision).toBe(revision);
  });

  it('shows the first 20 problems and counts the rest', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ['住建局', `指标${i}`, `约${i}`, '个', '2026-12-31']);
    const answer = await shareInDm(ADMIN, await xlsx({ 指标: [TARGETS_HEAD, ...rows] }), 'many.xlsx');
    expect(answer.text).toContain('many.xlsx 有 25 处问题');
    expect(answer.text.match(/不是数字/g)).toHaveLength(20);
    expect(answer.text).toContain('另有 5 处问题未列出');
  });

  it('speaks the admin’s language', async () => {
    const answer = await shareInDm(
      EN_ADMIN,
      await xlsx({ 指标: [TARGETS_HEAD, ['住建局', '老旧小区改造户数', '约7.5', '户', '2026-12-31']] }),
      'bad-en.xlsx',
    );
    expect(answer.text).toContain('bad-en.xlsx has 1 problem; nothing was imported');
    expect(answer.text).toContain('Sheet 指标, row 2, 目标值: not a number: “约7.5”');
  });
});

describe('CSV files', () => {
  it('reads a GBK CSV as saved by Chinese Excel, and a UTF-8 CSV with a BOM', async () => {
    const rows = [TARGETS_HEAD, ['中兴街道', '新建口袋公园', 8, '个', '2026-12-31']];
    const gbk = await shareInDm(ADMIN, iconv.encode(csvText(rows), 'gbk'), '指标.csv');
    expect(gbk.text).toContain('新增：新建口袋公园');
    const bom = await shareInDm(
      ADMIN,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText(rows), 'utf8')]),
      'targets-bom.csv',
    );
    expect(bom.text).toContain('新增：新建口袋公园');
    expect(buttonsOf(bom.body)).toHaveLength(2);
  });
});

describe('who may import', () => {
  it('tells a non-admin politely who can import, without downloading the file', async () => {
    const count = requests.length;
    const answer = await shareInDm(LIAISON, await xlsx({ 指标: [TARGETS_HEAD] }), 'mine.xlsx');
    expect(answer.text).toContain('只有督查室管理员可以导入数据');
    expect(answer.text).toContain(`<@${ADMIN}>`);
    expect(requests.length).toBe(count);
  });

  it('refuses a non-admin’s click on an import button', async () => {
    const answer = await click(t, { action_id: 'duban.import.apply', value: 'whatever' }, LIAISON);
    expect(answer.text).toContain('只有督查室管理员');
  });

  it('answers /duban import with how to upload for an admin, and who can for anyone else', async () => {
    const admin = await ask(t, '/duban', 'import', ADMIN);
    expect(admin.body.response_type).toBe('ephemeral');
    expect(admin.text).toContain('发到与督办的私信');
    const other = await ask(t, '/duban', '导入', LIAISON);
    expect(other.text).toContain('只有督查室管理员可以导入数据');
  });
});

describe('hostile files', () => {
  it('refuses a PDF dressed as .xlsx, naming what it is', async () => {
    const answer = await shareInDm(
      ADMIN,
      Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1'),
      'report.xlsx',
    );
    expect(answer.text).toContain('这不是表格文件，而是PDF 文件');
    expect(buttonsOf(answer.body)).toEqual([]);
  });

  it('never sends the bot token to a host that is not Slack’s', async () => {
    const count = requests.length;
    const answer = await shareInDm(ADMIN, Buffer.from('x'), 'evil.xlsx', {
      url: `http://localhost:${new URL(filesOrigin).port}/steal`,
    });
    expect(answer.text).toContain('无法下载这个文件');
    expect(requests.length).toBe(count);
  });

  it('refuses a file over the size limit without downloading it', async () => {
    const count = requests.length;
    const answer = await shareInDm(ADMIN, Buffer.from('x'), 'huge.xlsx', { size: 50 * 1024 * 1024 });
    expect(answer.text).toContain('文件太大（50.0 MB），最多 20 MB');
    expect(requests.length).toBe(count);
  });

  it('escapes a name meant to notify the channel', async () => {
    const answer = await shareInDm(ADMIN, Buffer.from('%PDF-1.4', 'latin1'), '<!channel> 注意.xlsx');
    // Mrkdwn (the fallback text and sections) is escaped; a header is plain_text, where Slack resolves no mention.
    expect(answer.body.text).toContain('&lt;!channel&gt;');
    for (const text of [answer.body.text ?? '', ...sectionTexts(answer.body)]) expect(text).not.toMatch(RAW_MENTION);
  });

  it('says so when Slack answers with its sign-in page (no files:read)', async () => {
    const answer = await shareInDm(ADMIN, Buffer.from('x'), 'unauthorised.xlsx', { serve: false });
    expect(answer.text).toContain('files:read');
  });

  it('takes one file at a time and points JSON files to the command line', async () => {
    const json = await shareInDm(ADMIN, Buffer.from('{"departments":[]}'), 'zone.json');
    expect(json.text).toContain('npx duban import');
    const two = await shareInDm(
      ADMIN,
      await xlsx({ 指标: [TARGETS_HEAD, ['经发局', '社会消费品零售总额增速', 6, '%', '2026-12-31']] }),
      'first.xlsx',
      { more: 1 },
    );
    expect(two.text).toContain('一次只导入一个文件，另外 1 个已忽略');
    expect(two.text).toContain('导入预览：first.xlsx');
  });
});

describe('files that used to take the bot down', () => {
  it('refuses a 1.6 KB merge over the whole sheet, naming the range and the limit, writes nothing, and answers others meanwhile', async () => {
    const revision = t.store.model().revision;
    const imports = (await importEvents()).length;
    // A cold worker: the file is still being read while someone else asks.
    stopIdleReaders();
    let refusedAt = Number.POSITIVE_INFINITY;
    const upload = shareInDm(ADMIN, wholeSheetMerge(), 'merged.xlsx').then((answer) => {
      refusedAt = performance.now();
      return answer;
    });
    const overview = await ask(t, '/targets', '', LIAISON);
    const answeredAt = performance.now();
    expect(overview.text).toContain('南通经济技术开发区 · 目标总览');
    const answer = await upload;
    expect(answeredAt).toBeLessThan(refusedAt);
    expect(answer.text).toContain('merged.xlsx 有 1 处问题，未导入任何内容');
    expect(answer.text).toContain(
      '『指标』第 1 行：有合并单元格 A1:XFD1048576，覆盖 17,179,869,184 个单元格，超过上限 10,000 个：请取消合并，并在每一行填写完整',
    );
    expect(buttonsOf(answer.body)).toEqual([]);
    expect(t.store.model().revision).toBe(revision);
    expect((await importEvents()).length).toBe(imports);
  });

  it('refuses a 1.3 MB file that unpacks to 300 MB, in the admin’s language, naming the limit and what to do, and writes nothing', async () => {
    const revision = t.store.model().revision;
    const zh = await shareInDm(ADMIN, rowsBomb(), 'rows.xlsx');
    expect(zh.text).toContain('rows.xlsx 有 1 处问题，未导入任何内容');
    expect(zh.text).toContain(
      '『rows.xlsx』：文件过大：解压后共 301 MB，超过上限 50 MB。请删除不需要的工作表、图片、空行和格式，或拆分成几个文件后重新上传',
    );
    const en = await shareInDm(EN_ADMIN, rowsBomb(), 'rows-en.xlsx');
    expect(en.text).toContain('rows-en.xlsx has 1 problem; nothing was imported');
    expect(en.text).toContain(
      'Sheet rows-en.xlsx: the file is too large: it unpacks to 301 MB, more than the 50 MB allowed.',
    );
    expect(buttonsOf(en.body)).toEqual([]);
    expect(t.store.model().revision).toBe(revision);
    // And the bot is still here.
    expect((await ask(t, '/targets', '住建局', LIAISON)).text).toContain('住建局');
  });
});

describe('which hosts may receive the bot token with a download', () => {
  it.each([
    ['https://files.slack.com/files-pri/T1-F1/download/a.xlsx', 'https://slack.com/api/', true],
    ['https://files.enterprise.slack.com/files-pri/T1-F1/a.csv', 'https://slack.com/api/', true],
    ['http://files.slack.com/files-pri/T1-F1/a.xlsx', 'https://slack.com/api/', false],
    ['https://files.slack.com.evil.example/a.xlsx', 'https://slack.com/api/', false],
    ['https://evilslack.com/a.xlsx', 'https://slack.com/api/', false],
    ['https://user:pw@files.slack.com/a.xlsx', 'https://slack.com/api/', false],
    ['http://127.0.0.1:9/files-pri/a.xlsx', 'http://127.0.0.1:8/api/', true],
    ['http://localhost:9/files-pri/a.xlsx', 'http://127.0.0.1:8/api/', false],
    ['not a url', 'https://slack.com/api/', false],
  ])('%s (API %s): %s', (url, api, trusted) => {
    expect(isTrustedFileUrl(url, api)).toBe(trusted);
  });
});

describe('downloading a shared file', () => {
  const options = () => ({ apiUrl: t.fake.url, maxBytes: 1024 * 1024, timeoutMs: 5_000 });

  it('follows a redirect to a trusted host, with the token', async () => {
    served.set('/files-pri/T0DUBAN01-F0REDIR001/download/r.csv', Buffer.from('a,b\n'));
    const r = await downloadSlackFile(
      `${filesOrigin}/redirect?to=${encodeURIComponent('/files-pri/T0DUBAN01-F0REDIR001/download/r.csv')}`,
      BOT_TOKEN,
      options(),
    );
    expect(r).toEqual({ ok: true, bytes: Buffer.from('a,b\n') });
  });

  it('does not follow a redirect elsewhere', async () => {
    const count = requests.length;
    const elsewhere = `http://localhost:${new URL(filesOrigin).port}/files-pri/x`;
    const r = await downloadSlackFile(
      `${filesOrigin}/redirect?to=${encodeURIComponent(elsewhere)}`,
      BOT_TOKEN,
      options(),
    );
    expect(r).toEqual({ ok: false, reason: 'untrusted' });
    expect(requests.length).toBe(count + 1);
  });

  it('stops a download without a length as soon as it passes the limit', async () => {
    expect(await downloadSlackFile(`${filesOrigin}/endless`, BOT_TOKEN, options())).toEqual({
      ok: false,
      reason: 'too_large',
    });
  });
});

describe('a redelivered upload event', () => {
  it('is previewed once', async () => {
    const bytes = await xlsx({ 指标: [TARGETS_HEAD, ['经发局', '实际利用外资', 3, '亿美元', '2026-12-31']] });
    const event = message({
      text: '',
      userId: ADMIN,
      channelId: dmOf(ADMIN),
      subtype: 'file_share',
      extra: {
        files: [
          {
            id: 'F0DUP00001',
            name: 'dup.xlsx',
            size: bytes.length,
            url_private_download: `${filesOrigin}/files-pri/T0DUBAN01-F0DUP00001/download/dup.xlsx`,
          },
        ],
      },
    });
    served.set('/files-pri/T0DUBAN01-F0DUP00001/download/dup.xlsx', bytes);
    const before = t.fake.calls.length;
    expect((await t.slack.event(event, { eventId: 'Ev0DUPSHEET1' })).status).toBe(200);
    await t.fake.waitFor(
      (r) => r.kind === 'api' && r.method === 'chat.postMessage' && allText(r.args).includes('导入预览：dup.xlsx'),
      15_000,
    );
    expect(
      (
        await t.slack.event(event, {
          eventId: 'Ev0DUPSHEET1',
          headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
        })
      ).status,
    ).toBe(200);
    // A later upload proves the retry was handled (and ignored) before it.
    await shareInDm(ADMIN, await xlsx({ 指标: [TARGETS_HEAD] }), 'later.xlsx');
    const previews = t.fake.calls
      .slice(before)
      .filter((c) => c.method === 'chat.postMessage' && allText(c.args).includes('导入预览：dup.xlsx'));
    expect(previews).toHaveLength(1);
  });
});

describe('/duban export', () => {
  beforeEach(() => t.fake.calls.splice(0));

  async function exported(text: string, userId = ADMIN, timeoutMs = 20_000) {
    // The answer comes after the workbook is built and uploaded (the first export loads the workbook code).
    const answer = await ask(t, '/duban', text, userId, timeoutMs);
    const complete = t.fake.callsTo('files.completeUploadExternal').at(-1);
    return { answer, complete };
  }

  it('uploads the ledger to the requester’s DM, whose 台账 sheet lists every item of the store', async () => {
    const { answer, complete } = await exported('export', LIAISON);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain('已把全区台账发到您与督办的私信');
    expect(complete?.ok).toBe(true);
    expect(complete?.args.channel_id).toBe(dmOf(LIAISON));
    expect(String(complete?.args.initial_comment)).toMatch(/📒 全区台账（截至 2026年11月28日），共 \d+ 项：🔴 \d+/);
    const fileId = (complete!.args.files as Array<{ id: string }>)[0]!.id;
    const upload = t.fake.uploads.filter((u) => u.fileId === fileId).at(-1)!;
    const getUrl = t.fake.callsTo('files.getUploadURLExternal').at(-1)!;
    expect(getUrl.args.filename).toBe('台账-2026-11-28.xlsx');
    expect(Number(getUrl.args.length)).toBe(upload.bytes.length);
    const wb = await loadWorkbook(upload.bytes);
    const ids: string[] = [];
    const sheet = wb.getWorksheet('台账')!;
    // The id column is found by its header, wherever the ledger puts it.
    let idColumn = 0;
    sheet.getRow(2).eachCell((cell, col) => {
      if (cell.value === '编号') idColumn = col;
    });
    expect(idColumn).toBeGreaterThan(0);
    sheet.eachRow((row, n) => {
      if (n > 2) ids.push(String(row.getCell(idColumn).value));
    });
    const db = t.store.model().db;
    expect(ids.sort()).toEqual([...db.targets, ...db.projects, ...db.commitments].map((i) => i.id).sort());
  });

  it('exports one department’s ledger', async () => {
    const { answer, complete } = await exported('export 住建局');
    expect(answer.text).toContain('住建局台账');
    const fileId = (complete!.args.files as Array<{ id: string }>)[0]!.id;
    const wb = await loadWorkbook(t.fake.uploads.filter((u) => u.fileId === fileId).at(-1)!.bytes);
    const owners = new Set<string>();
    wb.getWorksheet('台账')!.eachRow((row, n) => {
      if (n > 2) owners.add(String(row.getCell(2).value));
    });
    expect([...owners]).toContain('住建局');
    expect(t.fake.callsTo('files.getUploadURLExternal').at(-1)!.args.filename).toBe('台账-住建局-2026-11-28.xlsx');
  });

  it('exports the bulletin as an .xlsx and as Markdown, with its charts as PNGs', async () => {
    // Drawing the charts starts the app's chart worker (ECharts and the font) before the upload and the answer.
    const { answer, complete } = await exported('export bulletin', ADMIN, 30_000);
    expect(answer.text).toContain('通报（Excel 和 Markdown）');
    expect(complete?.args.files).toHaveLength(4);
    const names = t.fake.callsTo('files.getUploadURLExternal').map((c) => c.args.filename);
    expect(names).toEqual([
      '通报-2026-11-28.xlsx',
      '通报-2026-11-28.md',
      '进度排名-2026-11-28.png',
      '项目进展-2026-11-28.png',
    ]);
    const [xlsxUpload, mdUpload, ...pngs] = t.fake.uploads.slice(-4);
    const md = mdUpload!.bytes.toString('utf8');
    expect(md).toContain('# 南通经济技术开发区目标任务推进情况通报（截至 2026年11月28日）');
    // The charts are uploaded as PNGs with their figures in words, and the Markdown shows them by those names.
    for (const png of pngs) expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(md).toMatch(/^!\[各部门进度排名（名次从高到低）。.+\]\(进度排名-2026-11-28\.png\)$/m);
    expect(md).toMatch(/^!\[各类别项目按进展阶段统计：.+\]\(项目进展-2026-11-28\.png\)$/m);
    expect((complete!.args.files as Array<{ title: string }>)[2]!.title).toBe('各部门进度排名');
    const slots = t.fake.callsTo('files.getUploadURLExternal').slice(-2);
    expect(String(slots[0]!.args.alt_text)).toContain('住建局：已完成');
    const wb = await loadWorkbook(xlsxUpload!.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['通报', '图表', '落后和预警', '逾期节点', '月度评价']);
    expect(wb.getWorksheet('图表')!.getImages()).toHaveLength(2);
    // The previous month's results, as /duban score shows them.
    const monthly = wb.getWorksheet('月度评价')!;
    expect(monthly.getRow(1).values).toEqual([
      undefined,
      ...[
        '排名',
        '部门',
        '得分',
        '应报',
        '按时报送',
        '迟报',
        '未报',
        '月末逾期',
        '本月办结',
        '按期办结',
        '脱幅（百分点）',
      ],
    ]);
    const rows = monthly.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1, 4) : r));
    // October 2026 (the month before the seed's today): equal scores share a rank; 督查室 is scored, not ranked.
    expect(rows.slice(2, 4)).toEqual([
      [1, '经发局', 100],
      [1, '中兴街道', 100],
    ]);
    expect(rows[7]).toEqual(['不参与排名', '督查室', 100]);
    expect(rows[9]).toEqual(['2026年10月']);
    expect(String((rows[10] as unknown[])[0])).toContain('评分 = 按时报送率×40');
  });

  it('answers an unknown department politely and uploads nothing', async () => {
    const { answer, complete } = await exported('export 火星局');
    expect(complete).toBeUndefined();
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain('没有找到「火星局」');
  });

  it('apologises and logs when the upload fails', async () => {
    t.fake.failNext('upload', { status: 500 });
    const { answer, complete } = await exported('export');
    expect(complete).toBeUndefined();
    expect(answer.text).toContain('抱歉，处理您的请求时出了点问题');
    expect(t.logs.some((l) => l.includes('listener failed') && l.includes('HTTP 500'))).toBe(true);
  });

  it('round trip: the exported ledger, sent back to duban, has nothing to import', async () => {
    const { complete } = await exported('export');
    const fileId = (complete!.args.files as Array<{ id: string }>)[0]!.id;
    const bytes = t.fake.uploads.filter((u) => u.fileId === fileId).at(-1)!.bytes;
    const answer = await shareInDm(ADMIN, bytes, '台账-2026-11-28.xlsx');
    expect(answer.text).toContain('台账-2026-11-28.xlsx 的内容与督办现有数据一致，无需导入');
    expect(buttonsOf(answer.body)).toEqual([]);
  });
});
