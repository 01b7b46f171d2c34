/**
 * Its own language: a Chinese reply holds no English or internal words, and an English reply no
 * Chinese. Through the real app over signed HTTP, for a zh-CN user and an en user, every kind of
 * reply — each slash command and subcommand with good input and with the usual mistakes, mentions,
 * App Home, the buttons, the forms and the admin commands — is captured as the user sees it (command
 * answers, response_url posts, chat.postMessage/postEphemeral/update, views.open/publish/update,
 * form answers, option menus, file comments) and read word by word once what is not language is set
 * aside: code spans, Slack markup, links, ids, numbers, emoji, and the zone's own data (names, units,
 * notes and reasons people wrote).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadModel } from '../../src/domain/read-model.ts';
import { type Locale, pick } from '../../src/i18n/index.ts';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.ts';
import { appHomeOpened, appMention, type HttpResult, message, signedPost } from '../support/slack-requests.ts';
import { buildModel, CHANNEL, freshId } from './helpers.ts';

const NOW = new Date('2026-11-27T10:00:00+08:00');
const year = { start: '2026-01-01', end: '2026-12-31' };

/** Per locale: a liaison of the construction bureau (not an admin) and an admin of the office. */
const PEOPLE = {
  'zh-CN': { liaison: 'U0ZHLIAIS1', admin: 'U0ZHADMIN1', slack: 'zh-CN' },
  en: { liaison: 'U0ENLIAIS1', admin: 'U0ENADMIN1', slack: 'en-US' },
} as const;
const STREET_PERSON = 'U0STREET01';
const OUTSIDER = 'U0OUTSIDE1';
const BUILD_CHANNEL = 'C0BUILDCH1';
const ECON_CHANNEL = 'C0ECONCH01';
const SUPERVISION = 'C0SUPERV01';
const NEW_CHANNEL = 'C0NEWCHAN1';
/** Where the office's own messages go: written in the office's language (BOT_LOCALE, zh-CN), whoever set them off. */
const OFFICE_CHANNELS = new Set([BUILD_CHANNEL, ECON_CHANNEL, SUPERVISION, NEW_CHANNEL]);

/**
 * Latin words a Chinese reply may hold: names of products and formats that have no Chinese name in
 * use (Slack, Excel, CSV, Markdown, the .xlsx/.csv/.json files the office handles, JSON) and "ID",
 * as Chinese software writes it. Nothing else.
 */
const LATIN_ALLOWED = new Set([
  'Slack',
  'Excel',
  'CSV',
  'Markdown',
  'xlsx',
  'csv',
  'docx',
  'txt',
  'json',
  'JSON',
  'ID',
]);

function zone(): ReadModel {
  const firms = Array.from({ length: 12 }, (_, i) => ({
    id: `t-firms-${i + 1}`,
    departmentId: 'econ',
    name: { zh: `重点企业培育第${i + 1}批`, en: `Key firms, batch ${i + 1}` },
    kind: 'cumulative',
    unit: { zh: '家', en: 'firms' },
    baseline: 0,
    target: 10,
    period: year,
    reporting: { cadence: 'monthly', graceDays: 5 },
  }));
  return buildModel({
    meta: { zone: { zh: '青湖经济开发区', en: 'Qinghu Economic Development Zone' }, year: 2026 },
    settings: { supervisionChannelId: SUPERVISION },
    departments: [
      {
        id: 'office',
        name: { zh: '督查室', en: 'Supervision Office' },
        ranked: false,
        memberIds: [PEOPLE['zh-CN'].admin, PEOPLE.en.admin],
      },
      {
        id: 'build',
        name: { zh: '城乡建设局', en: 'Urban and Rural Construction Bureau' },
        shortName: { zh: '建设局', en: 'UCB' },
        aliases: ['城建'],
        channelId: BUILD_CHANNEL,
        memberIds: [PEOPLE['zh-CN'].liaison, PEOPLE.en.liaison],
        leadIds: [PEOPLE['zh-CN'].admin],
      },
      {
        id: 'econ',
        name: { zh: '经济发展局', en: 'Economic Development Bureau' },
        shortName: { zh: '经发局', en: 'EDB' },
        channelId: ECON_CHANNEL,
        memberIds: ['U0ECONLIA1'],
      },
      { id: 'street', name: { zh: '东湖街道', en: 'Donghu Subdistrict' }, memberIds: [STREET_PERSON] },
    ],
    targets: [
      {
        id: 't-roads',
        departmentId: 'build',
        name: { zh: '新建道路里程', en: 'New road length' },
        kind: 'cumulative',
        unit: { zh: '公里', en: 'km' },
        baseline: 0,
        target: 40,
        period: year,
        reporting: { cadence: 'monthly', graceDays: 5 },
      },
      {
        id: 't-growth',
        departmentId: 'econ',
        name: { zh: '规上工业增加值增速', en: 'Industrial value added growth' },
        kind: 'level',
        unit: { zh: '%', en: '%' },
        target: 7.5,
        comparator: 'atLeast',
        period: year,
        reporting: { cadence: 'quarterly', graceDays: 10 },
      },
      {
        id: 't-homes',
        departmentId: 'street',
        name: { zh: '老旧小区改造', en: 'Old estates renovated' },
        kind: 'cumulative',
        unit: { zh: '个', en: 'estates' },
        baseline: 0,
        target: 8,
        period: year,
        reporting: { cadence: 'monthly', graceDays: 5 },
      },
      ...firms,
    ],
    projects: [
      {
        id: 'p-bridge',
        departmentId: 'build',
        name: { zh: '滨河大桥', en: 'Riverside bridge' },
        category: { zh: '交通', en: 'Transport' },
        period: year,
        reporting: { cadence: 'monthly', graceDays: 5 },
        milestones: [
          { id: 'm1', name: { zh: '主桥合龙', en: 'Main span closed' }, due: '2026-09-30' },
          { id: 'm2', name: { zh: '建成通车', en: 'Opened to traffic' }, due: '2026-12-01' },
        ],
      },
      {
        id: 'p-school',
        departmentId: 'build',
        name: { zh: '实验学校', en: 'Experimental school' },
        category: { zh: '教育', en: 'Education' },
        period: year,
        reporting: { cadence: 'none' },
        milestones: [{ id: 'm1', name: { zh: '竣工验收', en: 'Completion inspection' }, due: '2026-12-20' }],
      },
    ],
    commitments: [
      {
        id: 'c-roads',
        departmentId: 'build',
        name: { zh: '道路畅通工程', en: 'Road works pledge' },
        pledge: { zh: '全年新建道路40公里', en: '40 km of new roads this year' },
        period: year,
        targetIds: ['t-roads'],
        projectIds: ['p-bridge'],
        milestones: [{ id: 'cm1', name: { zh: '方案印发', en: 'Plan issued' }, due: '2026-11-30' }],
      },
    ],
    updates: [
      // Reports as an import file and the sample data carry them: their sources must be said in words.
      { id: 'u1', itemId: 't-roads', at: '2026-10-10T10:00:00+08:00', by: 'import', value: 20, source: 'import' },
      {
        id: 'u2',
        itemId: 't-growth',
        at: '2026-10-20T10:00:00+08:00',
        by: 'seed',
        value: 6.1,
        note: '前三季度数据',
        source: 'seed',
      },
      {
        id: 'u3',
        itemId: 'p-bridge',
        at: '2026-11-02T10:00:00+08:00',
        by: PEOPLE['zh-CN'].liaison,
        percent: 60,
        note: '桥面铺装进行中',
        source: 'slack',
      },
      {
        id: 'u4',
        itemId: 'p-school',
        at: '2026-11-05T10:00:00+08:00',
        by: 'duban',
        state: 'blocked',
        note: '资金未到位',
        source: 'command',
      },
    ],
  });
}

/** The zone's own words (names, units, categories, pledges): data, not the reply's language. */
function dataWords(model: ReadModel, locale: Locale): string[] {
  const { db } = model;
  const texts: Array<{ zh: string; en?: string | undefined } | undefined> = [db.meta.zone];
  for (const d of db.departments) {
    texts.push(d.name);
    if (d.shortName.zh) texts.push({ zh: d.shortName.zh, ...(d.shortName.en ? { en: d.shortName.en } : {}) });
  }
  for (const i of [...db.targets, ...db.projects, ...db.commitments]) {
    texts.push(i.name, i.category as { zh: string; en?: string } | undefined);
    if ('unit' in i) texts.push(i.unit);
    if ('pledge' in i) texts.push(i.pledge as { zh: string; en?: string });
    if ('milestones' in i) for (const m of i.milestones) texts.push(m.name);
  }
  const words = texts.filter((t): t is { zh: string; en?: string } => t !== undefined).map((t) => pick(t, locale));
  const ids = [...db.departments, ...db.targets, ...db.projects, ...db.commitments].map((x) => x.id);
  const aliases = db.departments.flatMap((d) => d.aliases);
  // Notes people wrote, in whatever language they wrote them.
  const notes = [...model.progress.values()]
    .flatMap((p) => p.recent.map((u) => u.note ?? ''))
    .filter((n) => n.length > 0);
  return [...words, ...ids, ...aliases, ...notes];
}

/** Everything a person reads in a message, view or answer: texts, labels, options, errors, file comments. */
function visibleTexts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) visibleTexts(v, out);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'text' || key === 'initial_comment') && typeof child === 'string') out.push(child);
      else if (key === 'errors' && child && typeof child === 'object')
        out.push(...Object.values(child as Record<string, string>).filter((s) => typeof s === 'string'));
      else if (
        ![
          'value',
          'action_id',
          'block_id',
          'callback_id',
          'private_metadata',
          'url',
          'image_url',
          'channel',
          'user',
          'ts',
          'thread_ts',
          'trigger_id',
        ].includes(key)
      )
        visibleTexts(child, out);
    }
  }
  return out;
}

const EMOJI = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|\u{FE0F}|\u{200D}|\u{2060}/gu;
/** Han characters and Chinese punctuation (、。「」【】（），：；？！ and the like), not the ideographic space. */
const CJK = /[\p{Script=Han}\u3001-\u303F\uFF01-\uFF5E]+/gu;

/** What is left of a text once what is not language is set aside. */
function wordsOf(text: string, data: readonly string[]): string {
  let t = text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/<[^>\n]*>/g, ' ')
    .replace(/https?:\/\/\S*/g, ' ')
    .replace(/&(lt|gt|amp);/g, ' ')
    // Slack ids (users, channels, files) and the names of the slash commands, typed the same in every language.
    .replace(/(?<![A-Za-z0-9])[UWCGDF][A-Z0-9]{6,}(?![A-Za-z0-9])/g, ' ')
    .replace(/(?<![A-Za-z0-9])\/(targets|projects|duban|progress)\b/g, ' ');
  for (const d of data) t = t.split(d).join(' ');
  return t.replace(EMOJI, ' ').replace(/\d+/g, ' ');
}

function offendingWords(text: string, locale: Locale, data: readonly string[]): string[] {
  const rest = wordsOf(text, data);
  if (locale === 'en') return rest.match(CJK) ?? [];
  // A lone capital is a label (联络员A), not a word; everything else Latin must be allowed by name.
  return (rest.match(/[A-Za-z][A-Za-z_'’-]*/g) ?? []).filter((w) => !LATIN_ALLOWED.has(w) && !/^[A-Z]$/.test(w));
}

/** The Web API methods that put text in front of someone. */
const SHOWN = new Set([
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'views.open',
  'views.publish',
  'views.update',
  'views.push',
  'files.completeUploadExternal',
]);

type Capture = { label: string; where: string; locale: Locale; text: string };

/** One locale's run: the app, the people, what they saw, and the offending words found. */
class Probe {
  readonly captures: Capture[] = [];
  readonly typed: string[] = [];
  readonly localeOf = new Map<string, Locale>();
  constructor(
    readonly t: TestApp,
    readonly locale: Locale,
  ) {}

  get liaison(): string {
    return PEOPLE[this.locale].liaison;
  }
  get admin(): string {
    return PEOPLE[this.locale].admin;
  }

  private callsSeen = 0;
  private responsesSeen = 0;

  private count(): number {
    return this.t.fake.calls.length + this.t.fake.responses.length;
  }

  /** Waits until something visible has come (unless nothing will) and then a quiet moment has passed. */
  private async settle(expectSomething: boolean): Promise<void> {
    const start = Date.now();
    let last = this.count();
    let quietSince = Date.now();
    while (Date.now() - start < 8000) {
      await new Promise((r) => setTimeout(r, 20));
      const n = this.count();
      if (n !== last) {
        last = n;
        quietSince = Date.now();
      }
      const arrived = this.visibleSince().length > 0;
      if ((arrived || !expectSomething) && Date.now() - quietSince > 100) return;
    }
  }

  private visibleSince(): Array<{ where: string; locale: Locale; body: unknown }> {
    const out: Array<{ where: string; locale: Locale; body: unknown }> = [];
    for (const r of this.t.fake.responses.slice(this.responsesSeen))
      out.push({ where: 'response_url', locale: this.current, body: r.body });
    for (const r of this.t.fake.calls.slice(this.callsSeen)) {
      if (!SHOWN.has(r.method)) continue;
      const channel =
        typeof r.args.channel === 'string'
          ? r.args.channel
          : typeof r.args.channel_id === 'string'
            ? r.args.channel_id
            : typeof r.args.user_id === 'string'
              ? r.args.user_id
              : '';
      // The office's own messages (reminders, reviews, bulletins) open a thread; answers in a thread are the asker's.
      // A chart uploaded into an office channel goes with the office's message (the bulletin's, in its thread).
      const office =
        OFFICE_CHANNELS.has(channel) &&
        ((r.method === 'chat.postMessage' && !r.args.thread_ts) || r.method === 'files.completeUploadExternal');
      const locale = office ? 'zh-CN' : (this.localeOf.get(channel) ?? this.current);
      out.push({ where: `${r.method}${channel ? ` ${channel}` : ''}`, locale, body: r.args });
    }
    return out;
  }

  private current: Locale = 'zh-CN';

  /** Runs one step as `user` and records everything visible it caused; returns the bodies, for their buttons. */
  async step(
    label: string,
    user: string,
    act: () => Promise<HttpResult | undefined>,
    opts: { expectSomething?: boolean; httpBody?: boolean } = {},
  ): Promise<unknown[]> {
    this.current = this.localeOf.get(user) ?? this.locale;
    this.callsSeen = this.t.fake.calls.length;
    this.responsesSeen = this.t.fake.responses.length;
    const http = await act();
    await this.settle(opts.expectSomething ?? !opts.httpBody);
    const bodies: unknown[] = [];
    if (http && opts.httpBody && http.text.trim().startsWith('{')) {
      const body = http.json();
      this.capture(label, 'http answer', this.current, body);
      bodies.push(body);
    }
    for (const v of this.visibleSince()) {
      this.capture(label, v.where, v.locale, v.body);
      bodies.push(v.body);
    }
    return bodies;
  }

  private capture(label: string, where: string, locale: Locale, body: unknown): void {
    for (const text of visibleTexts(body)) this.captures.push({ label, where, locale, text });
  }

  command(
    command: string,
    text: string,
    user: string = this.liaison,
    label = `${command} ${text}`.trim(),
  ): Promise<unknown[]> {
    return this.step(label, user, () =>
      this.t.slack.command({
        command,
        text,
        userId: user,
        channelId: CHANNEL,
        responseUrl: this.t.fake.responseUrl(freshId('lang')),
      }),
    );
  }

  click(
    label: string,
    button: { action_id: string; value: string },
    user: string = this.liaison,
    expectSomething = true,
  ): Promise<unknown[]> {
    return this.step(
      label,
      user,
      () =>
        this.t.slack.action({
          actionId: button.action_id,
          value: button.value,
          userId: user,
          channelId: CHANNEL,
          responseUrl: this.t.fake.responseUrl(freshId('lang')),
        }),
      { expectSomething },
    );
  }

  view(
    label: string,
    callbackId: string,
    values: Parameters<TestApp['slack']['view']>[0]['values'],
    user: string = this.liaison,
    privateMetadata = '',
  ): Promise<unknown[]> {
    return this.step(label, user, () => this.t.slack.view({ callbackId, values, userId: user, privateMetadata }), {
      httpBody: true,
      expectSomething: false,
    });
  }

  mention(text: string, user: string = this.liaison, threadTs?: string): Promise<unknown[]> {
    return this.step(`@duban ${text}`, user, () =>
      this.t.slack.event(
        appMention({
          text: `<@U0DUBANBOT> ${text}`,
          userId: user,
          channelId: CHANNEL,
          ...(threadTs ? { threadTs } : {}),
        }),
      ),
    );
  }

  /** What a person typed and duban says back (notes, reasons, names asked about): theirs, not the reply's language. */
  type(...texts: string[]): void {
    this.typed.push(...texts);
  }

  offenders(fromIndex = 0): string[] {
    const out: string[] = [];
    for (const c of this.captures.slice(fromIndex)) {
      const data = [...dataWords(this.t.store.model(), c.locale), ...this.typed].sort((a, b) => b.length - a.length);
      const words = offendingWords(c.text, c.locale, data);
      if (words.length > 0)
        out.push(
          `[${c.locale}] ${c.label} (${c.where}): ${[...new Set(words)].join(', ')}  ⟵ ${c.text.replace(/\s+/g, ' ').slice(0, 200)}`,
        );
    }
    return [...new Set(out)];
  }
}

function buttonsIn(bodies: unknown[]): Array<{ action_id: string; value: string; text: string }> {
  const out: Array<{ action_id: string; value: string; text: string }> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'button' && typeof o.action_id === 'string')
        out.push({
          action_id: o.action_id,
          value: String(o.value ?? ''),
          text: String((o.text as { text?: string })?.text ?? ''),
        });
      Object.values(o).forEach(walk);
    }
  };
  walk(bodies);
  return out;
}

function button(bodies: unknown[], actionId: string | RegExp): { action_id: string; value: string } {
  const found = buttonsIn(bodies).find((b) =>
    typeof actionId === 'string' ? b.action_id === actionId : actionId.test(b.action_id),
  );
  expect(found, `a button ${String(actionId)} in ${JSON.stringify(bodies).slice(0, 300)}`).toBeDefined();
  return found!;
}

/** Inputs in each language: what a person of that language would type. */
const INPUT = {
  'zh-CN': {
    dept: '建设局',
    deptFull: '城乡建设局',
    unknownDept: '火星局',
    keyword: '道路',
    category: '交通',
    note: '本月新建5公里',
    reason: '政策调整暂缓',
    claimDone: '完成',
    inconsistent: '累计35公里，本月新增5公里',
    mentions: ['谁落后了？', '建设局进展如何？', '帮助', '天气怎么样', '建设局的项目', '道路'],
    long: '长',
  },
  en: {
    dept: 'UCB',
    deptFull: 'Urban and Rural Construction Bureau',
    unknownDept: 'Mars Bureau',
    keyword: 'road',
    category: 'Transport',
    note: 'five more km this month',
    reason: 'policy changed, on hold',
    claimDone: 'done',
    inconsistent: 'now 35 km in total, 5 km more this month',
    mentions: ['who is behind?', 'how is UCB doing?', 'help', 'what is the weather', 'UCB projects', 'road'],
    long: 'x',
  },
} as const;

describe('reading a reply for words of the other language', () => {
  it.each([
    ['zh-CN', '已将 grace 设为 24 h。', ['grace', 'h']],
    ['zh-CN', '• 中兴街道：sent', ['sent']],
    [
      'zh-CN',
      '「0 25 * * 1」不是有效的 cron 表达式：25 is a invalid expression for hour',
      ['cron', 'is', 'a', 'invalid', 'expression', 'for', 'hour'],
    ],
    ['zh-CN', '最近报送：10月10日（import） · #1 · `t-roads`', ['import']],
    [
      'zh-CN',
      '用法示例：`/duban schedule set grace 24` 在 Slack 里输入 /targets <@U0ZHLIAIS1> https://example.org/a',
      [],
    ],
    ['en', 'Leads：<@U0ZHADMIN1>', ['：']],
    ['en', 'Try: `/targets 住建局` for New road length', []],
  ] as const)('in %s, finds in “%s” %j', (locale, text, words) => {
    expect(offendingWords(text, locale, ['新建道路里程', 'New road length', 't-roads'])).toEqual(words);
  });
});

describe.each(['zh-CN', 'en'] as const)('every reply to a %s user is in that language', (locale) => {
  let t: TestApp;
  let p: Probe;
  const say = INPUT[locale];
  const offendersOf = (from: number) => p.offenders(from);

  beforeAll(async () => {
    t = await startTestApp({ model: zone(), now: NOW, admins: [PEOPLE['zh-CN'].admin, PEOPLE.en.admin] });
    p = new Probe(t, locale);
    // Words of theirs that duban quotes back: unknown names and subcommands, notes and reasons.
    p.type(
      say.unknownDept,
      say.unknownDept.split(' ')[0]!,
      say.note,
      say.reason,
      'frobnicate',
      'frob',
      '/unknowncmd',
      '经',
      'every monday',
      say.long.repeat(40),
    );
    for (const l of ['zh-CN', 'en'] as const) {
      t.fake.setUser(PEOPLE[l].liaison, { locale: PEOPLE[l].slack });
      t.fake.setUser(PEOPLE[l].admin, { locale: PEOPLE[l].slack });
      p.localeOf.set(PEOPLE[l].liaison, l);
      p.localeOf.set(PEOPLE[l].admin, l);
    }
    t.fake.setUser(STREET_PERSON, { locale: 'zh-CN' });
    t.fake.setUser(OUTSIDER, { locale: PEOPLE[locale].slack });
    p.localeOf.set(OUTSIDER, locale);
    p.localeOf.set(STREET_PERSON, 'zh-CN');
    for (const c of [BUILD_CHANNEL, ECON_CHANNEL, SUPERVISION]) t.fake.setChannel(c, { name: c.toLowerCase() });
    t.fake.setChannel(NEW_CHANNEL, { name: 'new', isMember: false });
  }, 30_000);
  afterAll(async () => t?.close());

  it('in the answers to /targets, /projects and /duban reading commands, good and mistaken', async () => {
    const from = p.captures.length;
    for (const text of [
      '',
      say.dept,
      say.keyword,
      't-roads',
      'help',
      say.unknownDept,
      say.long.repeat(300),
      `${say.dept} p99`,
      '经',
    ])
      await p.command('/targets', text);
    for (const text of ['', say.dept, say.category, 'p-bridge', 'help', say.unknownDept])
      await p.command('/projects', text);
    for (const text of [
      '',
      'help',
      'status',
      `status ${say.dept}`,
      `status ${say.unknownDept}`,
      'status help',
      'behind',
      `behind ${say.dept}`,
      'frobnicate',
      'summary',
      `summary ${say.dept}`,
      'import',
      `status ${say.long.repeat(300)}`,
      say.long.repeat(900),
    ]) {
      await p.command('/duban', text);
    }
    await p.command('/unknowncmd', 'x');
    expect(offendersOf(from)).toEqual([]);
  }, 120_000);

  it('in the page buttons and the scorecard’s way on', async () => {
    const from = p.captures.length;
    const behind = await p.command('/duban', 'behind');
    const page2 = await p.click('next page', button(behind, 'duban.page.next'));
    await p.click('previous page', button(page2, 'duban.page.prev'));
    const card = await p.command('/duban', 'status 经发局');
    await p.click('see all behind', button(card, 'duban.page.all'));
    await p.click('an expired button', { action_id: 'duban.gone.thing', value: 'x' });
    expect(offendersOf(from)).toEqual([]);
  }, 60_000);

  it('in /progress: logging, mistakes, questions with buttons, the form and a claim of done', async () => {
    const from = p.captures.length;
    p.type(say.note);
    await p.command('/progress', '');
    await p.command('/progress', 'help');
    await p.command('/progress', `t-roads 24 ${say.note}`);
    await p.command('/progress', `${say.unknownDept} 5`);
    await p.command('/progress', 'p-bridge 150%');
    await p.command('/progress', 't-roads abc');
    await p.command('/progress', `t-homes 3`);
    await p.command('/progress', `t-roads 24`, OUTSIDER, '/progress by someone outside the department');
    const asked = await p.command('/progress', `t-roads ${say.inconsistent}`);
    const choice = buttonsIn(asked).find((b) => b.action_id.startsWith('duban.choice.'));
    if (choice) await p.click('an answer to the question', choice);
    const many = await p.command('/progress', `${say.keyword} 3`);
    const pickOne = buttonsIn(many).find((b) => b.action_id.startsWith('duban.choice.'));
    if (pickOne) await p.click('which item', pickOne);
    await p.click('a question already answered', choice ?? { action_id: 'duban.choice.0', value: 'gone:0' });
    // The form: inline problems, then a good submission.
    await p.step(
      'item options',
      p.liaison,
      () =>
        signedPost(
          `${t.baseUrl}/slack/events`,
          SIGNING_SECRET,
          `payload=${encodeURIComponent(JSON.stringify({ type: 'block_suggestion', action_id: 'item', block_id: 'item', value: '', user: { id: p.liaison }, team: { id: 'T0DUBAN01' }, api_app_id: 'A0DUBANAPP', view: { id: 'V1', type: 'modal', callback_id: 'duban.progress.form', state: { values: {} } } }))}`,
          'application/x-www-form-urlencoded',
        ),
      { httpBody: true },
    );
    await p.view('form with nothing', 'duban.progress.form', {});
    await p.view('form with a bad percent and link', 'duban.progress.form', {
      item: { item: { type: 'external_select', selected_option: { value: 'p-bridge' } } },
      percent: { percent: { type: 'number_input', value: '150' } },
      evidence: { evidence: { type: 'url_text_input', value: 'ftp://x' } },
    });
    await p.view('form for an item not theirs', 'duban.progress.form', {
      item: { item: { type: 'external_select', selected_option: { value: 't-growth' } } },
      value: { value: { type: 'number_input', value: '7' } },
    });
    await p.view('form, good', 'duban.progress.form', {
      item: { item: { type: 'external_select', selected_option: { value: 'p-bridge' } } },
      percent: { percent: { type: 'number_input', value: '70' } },
      note: { note: say.note },
    });
    // A claim of done goes to review; the office approves one and sends another back.
    await p.command('/progress', `p-school ${say.claimDone}`);
    const review = t.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === SUPERVISION)
      .at(-1);
    expect(review, 'a review request in the supervision channel').toBeDefined();
    await p.click('approve, not an admin', button([review!.args], 'duban.review.approve'));
    await p.click('send back', button([review!.args], 'duban.review.return'), p.admin);
    const reviewId = button([review!.args], 'duban.review.return').value;
    await p.view('send back with no reason', 'duban.review.return', {}, p.admin, JSON.stringify({ reviewId }));
    p.type(say.reason);
    await p.view(
      'send back with a reason',
      'duban.review.return',
      { reason: { reason: say.reason } },
      p.admin,
      JSON.stringify({ reviewId, responseUrl: t.fake.responseUrl(freshId('review')) }),
    );
    await p.click('a review already decided', button([review!.args], 'duban.review.approve'), p.admin);
    await p.command('/progress', `p-bridge ${say.claimDone}`);
    const second = t.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === SUPERVISION)
      .at(-1)!;
    await p.click('approve', button([second.args], 'duban.review.approve'), p.admin);
    expect(offendersOf(from)).toEqual([]);
  }, 120_000);

  it('in the admin commands: members, leads, channels, exemptions and the audit trail', async () => {
    const from = p.captures.length;
    const a = p.admin;
    p.type(say.reason);
    for (const text of [
      'members',
      `members ${say.dept}`,
      `members ${say.unknownDept}`,
      `member add <@${STREET_PERSON}> ${say.dept}`,
      `member add ${say.dept}`,
      `member frob <@${STREET_PERSON}> ${say.dept}`,
      `lead add <@${STREET_PERSON}> ${say.unknownDept}`,
      `lead remove <@${STREET_PERSON}> ${say.dept}`,
      `channel ${say.dept} <#${NEW_CHANNEL}|new>`,
      `channel ${say.dept}`,
      `review-channel <#${SUPERVISION}|sup>`,
      'review-channel',
      `exempt #1 ${say.reason}`,
      'exempt #1',
      `exempt ${say.unknownDept} ${say.reason}`,
      'unexempt #1',
      'audit',
      'audit t-roads',
      `audit ${say.unknownDept}`,
    ]) {
      await p.command('/duban', text, a);
    }
    await p.command('/duban', `exempt #1 ${say.reason}`, p.liaison, 'exempt, not an admin');
    await p.command('/duban', `channel ${say.dept} <#${NEW_CHANNEL}|new>`, p.liaison, 'channel, not an admin');
    expect(offendersOf(from)).toEqual([]);
  }, 120_000);

  it('in the schedule: show, set (good and bad), run now, previews, calendar, leave and snoozes', async () => {
    const from = p.captures.length;
    const a = p.admin;
    p.type(say.reason);
    for (const text of [
      'schedule',
      'schedule set reminders 0 25 * * 1',
      'schedule set reminders 0 9 * * 9',
      'schedule set bulletin 61 9 * * 1',
      'schedule set reminders every monday',
      'schedule set reminders 0 9 * * 1',
      'schedule set bulletin 0 16 * * 5',
      'schedule set grace 24',
      'schedule set grace abc',
      'schedule set grace 999',
      'schedule set headsup 2',
      'schedule set headsup 50',
      'schedule set escalate 3',
      'schedule set escalate 0',
      `schedule set bulletin-channel <#${SUPERVISION}|sup>`,
      'schedule set bulletin-channel nowhere',
      'schedule set frob 1',
      'schedule set',
      'schedule frob',
      'remind preview',
      `remind preview ${say.dept}`,
      `remind preview ${say.unknownDept}`,
      'remind frob',
      'remind now',
      `remind now ${say.dept}`,
      `remind now ${say.unknownDept}`,
      'schedule',
      'bulletin',
      'bulletin post',
      'calendar',
      'calendar holiday 2027-01-04',
      'calendar workday 2027-02-07',
      'calendar remove 2027-01-04',
      'calendar holiday 2027-02-30',
      'calendar frob 2027-01-04',
      'calendar holiday',
      'away 2026-12-01 2026-12-05',
      'away 2026-12-05 2026-12-01',
      'away 2027-02-30 2027-03-02',
      'away next week',
      `away <@${STREET_PERSON}> 2026-12-01 2026-12-02`,
      'away clear',
      `snooze #1 3 ${say.reason}`,
      `snooze ${say.dept} 2 ${say.reason}`,
      'snooze #1 abc',
      'snooze #1 99 x',
      'snooze #1 3',
      `snooze ${say.unknownDept} 3 x`,
      'unsnooze #1',
      `unsnooze ${say.dept}`,
    ]) {
      await p.command('/duban', text, a);
    }
    for (const text of [
      'remind now',
      'bulletin post',
      'schedule set grace 12',
      'remind preview',
      'calendar holiday 2027-01-04',
      `away <@${STREET_PERSON}> 2026-12-01 2026-12-02`,
    ]) {
      await p.command('/duban', text, p.liaison, `${text} (not an admin)`);
    }
    await p.command('/duban', 'schedule', a, 'schedule after runs');
    // With no bulletin channel at all, the run says so in words.
    await t.store.transact((tx) => {
      const { supervisionChannelId: _s, ...settings } = tx.state.settings;
      const { bulletinChannelId: _b, ...schedule } = settings.schedule;
      tx.replace({ ...tx.state, settings: { ...settings, schedule } });
    });
    await p.command('/duban', 'bulletin post', a, 'bulletin post with no channel');
    await p.command('/duban', 'schedule', a, 'schedule after a run with no channel');
    expect(offendersOf(from)).toEqual([]);
  }, 240_000);

  it('in the reminder’s buttons and the snooze form', async () => {
    const from = p.captures.length;
    // A fresh run (another minute) so there is a reminder to press.
    t.setNow(new Date(NOW.getTime() + 120_000));
    await p.command('/duban', 'unsnooze #1', p.admin);
    await p.command('/duban', `unsnooze ${say.dept}`, p.admin);
    await p.command('/duban', `remind now ${say.dept}`, p.admin);
    const buildChannel = t.store.model().department('build')?.channelId;
    const reminder = t.fake
      .callsTo('chat.postMessage')
      .filter(
        (c) =>
          c.args.channel === buildChannel && buttonsIn([c.args]).some((b) => b.action_id === 'duban.remind.snooze'),
      )
      .at(-1);
    expect(reminder, 'a reminder in the construction bureau’s channel').toBeDefined();
    await p.click('log progress', button([reminder!.args], 'duban.remind.log'));
    await p.click('details', button([reminder!.args], 'duban.remind.details'));
    const snooze = await p.click('snooze', button([reminder!.args], 'duban.remind.snooze'));
    void snooze;
    await p.view(
      'snooze form, bad days',
      'duban.remind.snooze',
      { days: { days: '99' }, reason: { reason: '' } },
      p.liaison,
      'build',
    );
    p.type(say.reason);
    await p.view(
      'snooze form, good',
      'duban.remind.snooze',
      { days: { days: '2' }, reason: { reason: say.reason } },
      p.liaison,
      'build',
    );
    // A reply in the reminder's thread is logged and confirmed there.
    p.type(say.note);
    await p.step('a reply in the reminder’s thread', p.liaison, () =>
      t.slack.event(
        message({
          text: `24 ${say.note}`,
          userId: p.liaison,
          channelId: buildChannel!,
          threadTs: String((reminder!.response as { ts?: string }).ts),
        }),
      ),
    );
    expect(offendersOf(from)).toEqual([]);
  }, 120_000);

  it('in the model’s switches and the export', async () => {
    const from = p.captures.length;
    for (const text of ['llm', 'llm on', `llm off ${say.dept}`, `llm on ${say.unknownDept}`, 'llm frob', 'llm'])
      await p.command('/duban', text, p.admin);
    await p.command('/duban', 'llm on', p.liaison, 'llm on (not an admin)');
    await p.command('/duban', 'export', p.liaison);
    await p.command('/duban', `export ${say.dept}`, p.liaison);
    await p.command('/duban', 'export bulletin', p.liaison);
    expect(offendersOf(from)).toEqual([]);
  }, 120_000);

  it('in mentions and App Home', async () => {
    const from = p.captures.length;
    for (const text of say.mentions) await p.mention(text);
    await p.mention(say.long.repeat(400));
    for (const user of [p.liaison, p.admin]) {
      await p.step(`App Home of ${user}`, user, () => t.slack.event(appHomeOpened({ userId: user })));
    }
    expect(offendersOf(from)).toEqual([]);
  }, 60_000);

  it('was read from every place a reply shows', () => {
    const places = new Set(p.captures.map((c) => (c.where.startsWith('http') ? c.where : c.where.split(' ')[0])));
    for (const place of [
      'response_url',
      'http answer',
      'chat.postMessage',
      'chat.postEphemeral',
      'views.open',
      'views.publish',
      'files.completeUploadExternal',
    ])
      expect(places).toContain(place);
    expect(p.captures.length).toBeGreaterThan(500);
  });
});
