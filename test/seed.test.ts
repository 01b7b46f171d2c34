/**
 * The bundled seed (data/seed/nantong-2026.json, written by data/seed/generate.ts): it validates,
 * it keeps the figures of the 2026 work-meeting article exactly, everything not in the article is
 * marked sample, and its progress history is consistent with itself.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Database, findReferenceProblems, ImportFile, type Update } from '../src/domain/schema.ts';

/** The work-meeting article (zh), the source every `source` and `pledge` quotes verbatim. */
const ARTICLE = [
  '2月7日上午,省两会结束的第二天,南通经济技术开发区立即召开全区工作会议,动员全区上下贯彻落实省、市两会精神,锚定目标、勇担使命、实干争先,加快建设更具竞争力的全国一流开发区,奋力开创“十五五”高质量发展新局面。',
  '回顾开发区过去5年的发展,是综合实力大幅跃升、发展格局全面重塑的五年,是重大项目加快集聚、增长后劲显著增强的五年,是新旧动能接续迭代、转型升级加快突破的五年,是城市面貌日新月异、功能品质大幅改善的五年,也是民生保障坚实有力、幸福底色更加鲜亮的五年。',
  '成绩的取得固然令人振奋,但立足新起点,开跑新征程,开发区人也深知绝对不可坐在成绩单上故步自封,“等不起”“坐不住”“慢不得”才是敢闯敢干的常态。把握发展主动权,应在识变应变中勇担使命。开发区把“十五五”当成是实现跨越发展的黄金机遇期,推动能级跃升的战略窗口期和破除瓶颈制约的攻坚突破期。',
  '会上,备受鼓舞的与会人员,信心满满,跨入新征程,已然有了新打法、新思路。经济发展局的同志说,围绕“十年两千亿”的外延式愿景,推动量的合理增长,力争规上工业增加值7.5%以上,批发零售企稳回升。住建局的同志胸有成竹:实施四大类共40项更新项目,促进城市品质提升与产业能级跃升有机统一。中兴街道的同志表态:广泛开展“三个一线”攻坚行动,建强红色阵地和暖心驿站,以党建强基服务保障项目高效推进。',
  '聚力实现“十五五”良好开局,南通开发区目标坚定、路径清晰:始终紧扣“四主一最一中心”总体定位,坚持以“开放、创新、活力”为鲜明导向,大力实施“1223”跨越发展行动,推动综合实力持续攀升、开放窗口功能凸显、产创融合能级跃升、城市活力充分释放。',
  '1月初,南通市委书记吴新明带队到开发区开展专题调研,支持和帮助开发区在新的起点上找准方位、明晰重点,要求开发区进一步发挥经济发展、项目建设主阵地作用,持续打造一流营商环境,坚持主导产业和未来产业并重、重大项目和科创项目并进,不断提高招商引资、项目服务水平,加快培育壮大特色优势产业,为全市高质量发展作出更大贡献。',
  '扛起使命加压奋进,南通开发区围绕全年目标,既有项目攻坚上的新举措——围绕制造业、科技、服务业三大领域,以体制机制改革为牵引,以专业能力建设为核心,全面重塑“4+6”招商体系;也有产业转型上新思路——主动策应南通“人工智能主轴产业带”发展布局,以“AI+制造”“AI+数据”为牵引,构建“孵化器—加速器—研发社区—产业基地”全链条载体平台;更有跨江融合上新突破——做大做强长三角国创中心南通分中心、北大长三角光电研究院、工信部制造业创新成果产业化长三角中心等重大平台,加快链接高成长性企业、高校院所、创投基金等创新资源……',
  '“要跨过长江找对手,跳出苏中争一流,以‘新苏南’的眼光看待南通开发区未来的新发展。”南通市人大常委会副主任、南通开发区党工委书记保德林表示,在市委、市政府的坚强领导下,实干笃行、奋楫争先,拿出敢闯敢试的锐气、主动破局的担当,奋力开创“十五五”发展新局面。',
].join('\n');

const text = readFileSync(new URL('../data/seed/nantong-2026.json', import.meta.url), 'utf8');
const raw = JSON.parse(text) as Record<string, unknown>;
const asImport = ImportFile.safeParse(raw);
const asDatabase = Database.safeParse({ ...raw, version: 1 });
// The remaining tests read the parsed seed; if it does not parse they fail on empty data.
const seed = asImport.success ? asImport.data : ImportFile.parse({});

/** Records whose names and figures all come from the article; everything else must be sample. */
const FROM_ARTICLE = {
  departments: ['edb', 'hurdb', 'zhongxing'],
  targets: ['t-edb-iva-growth'],
  projects: [] as string[],
  commitments: ['c-edb-growth', 'c-hurdb-renewal', 'c-zx-venues'],
};

/** The seed is meant to be looked at from this day: the first day after the last update. */
const EVALUATED_ON = '2026-11-28';
const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

const items = () => [...seed.targets, ...seed.projects, ...seed.commitments];
const updatesOf = (itemId: string) => seed.updates.filter((u) => u.itemId === itemId);
const latest = (itemId: string, pick: (u: Update) => boolean = () => true) => updatesOf(itemId).filter(pick).at(-1);
const reachedMilestones = (itemId: string) =>
  new Set(
    updatesOf(itemId)
      .filter((u) => u.milestoneId && u.state === 'done')
      .map((u) => u.milestoneId),
  );
const departmentByShortName = (zh: string) => seed.departments.find((d) => d.shortName.zh === zh);
const renewalProjects = () => seed.projects.filter((p) => p.tags.includes('城市更新'));

describe('seed: format', () => {
  it('parses as an import file', () => {
    expect(asImport.error?.issues ?? []).toEqual([]);
    expect(asImport.success).toBe(true);
  });

  it('parses as a full store document, including the reference checks', () => {
    expect(asDatabase.error?.issues ?? []).toEqual([]);
    expect(asDatabase.success).toBe(true);
    if (asDatabase.success) expect(findReferenceProblems(asDatabase.data)).toEqual([]);
  });

  it('is pretty-printed UTF-8 JSON with literal Chinese', () => {
    expect(text).toBe(`${JSON.stringify(raw, null, 2)}\n`);
    expect(text).not.toMatch(/\\u[0-9a-fA-F]{4}/);
    expect(text).toContain('南通经济技术开发区');
  });

  it('has the zone, year and sample notice in meta', () => {
    expect(seed.meta?.zone).toEqual({
      zh: '南通经济技术开发区',
      en: 'Nantong Economic & Technological Development Zone',
    });
    expect(seed.meta?.year).toBe(2026);
    expect(seed.meta?.sampleNotice).toMatch(/示例数据/);
    expect(seed.meta?.sampleNotice).toMatch(/sample data/);
  });

  it('has the expected collections', () => {
    expect(seed.departments.length).toBeGreaterThanOrEqual(6);
    expect(seed.targets.length).toBeGreaterThanOrEqual(6);
    expect(seed.projects.length).toBe(47);
    expect(seed.commitments.length).toBeGreaterThanOrEqual(9);
    expect(seed.updates.length).toBeGreaterThan(300);
  });

  it('gives every item and milestone a Chinese and an English name, within the year', () => {
    for (const item of items()) {
      expect(item.name.en, item.id).toBeTruthy();
      expect(item.period, item.id).toEqual({ start: '2026-01-01', end: '2026-12-31' });
      for (const m of 'milestones' in item ? item.milestones : []) {
        expect(m.name.en, `${item.id}/${m.id}`).toBeTruthy();
        expect(m.due >= item.period.start && m.due <= item.period.end, `${item.id}/${m.id} ${m.due}`).toBe(true);
      }
    }
    for (const c of seed.commitments) expect(c.pledge.en, c.id).toBeTruthy();
  });

  it('leaves Slack ids to the workspace', () => {
    for (const d of seed.departments) {
      expect(d.channelId, d.id).toBeUndefined();
      expect(d.memberIds, d.id).toEqual([]);
      expect(d.leadIds, d.id).toEqual([]);
    }
  });
});

describe('seed: faithful to the article', () => {
  it('marks every record not taken from the article as sample', () => {
    for (const kind of ['departments', 'targets', 'projects', 'commitments'] as const) {
      for (const record of seed[kind]) {
        if (!FROM_ARTICLE[kind].includes(record.id)) expect(record.sample, `${kind} ${record.id}`).toBe(true);
      }
    }
    for (const u of seed.updates) expect(u.sample, u.id).toBe(true);
  });

  it('adds nothing invented to the records it does not mark sample', () => {
    for (const kind of ['departments', 'targets', 'projects', 'commitments'] as const) {
      for (const id of FROM_ARTICLE[kind]) {
        const record = seed[kind].find((r) => r.id === id);
        expect(record, `${kind} ${id}`).toBeDefined();
        expect(record?.sample, `${kind} ${id}`).not.toBe(true);
      }
    }
    for (const id of FROM_ARTICLE.departments) {
      const d = seed.departments.find((r) => r.id === id)!;
      expect(ARTICLE.includes(d.name.zh) || ARTICLE.includes(d.shortName.zh ?? '\0'), id).toBe(true);
    }
    for (const id of FROM_ARTICLE.commitments) {
      const c = seed.commitments.find((r) => r.id === id)!;
      expect(c.milestones, id).toEqual([]); // milestones and their dates would be invented
    }
    const iva = seed.targets.find((t) => t.id === 't-edb-iva-growth')!;
    expect(ARTICLE).toContain(`${iva.target}%`);
  });

  it('quotes the article verbatim in every source and pledge', () => {
    const quoted = [...seed.departments, ...items()].filter((r) => r.source !== undefined);
    expect(quoted.length).toBeGreaterThan(50);
    for (const r of quoted) expect(ARTICLE.includes(r.source!), `${r.id}: ${r.source}`).toBe(true);
    for (const c of seed.commitments) expect(ARTICLE.includes(c.pledge.zh), `${c.id}: ${c.pledge.zh}`).toBe(true);
  });

  it('has the three departments the article names', () => {
    const edb = departmentByShortName('经发局');
    expect(edb).toMatchObject({
      name: { zh: '经济发展局', en: 'Economic Development Bureau' },
      shortName: { en: 'EDB' },
    });
    expect(edb?.aliases).toEqual(expect.arrayContaining(['经发', 'Economic Development Bureau', 'EDB']));
    const hurdb = departmentByShortName('住建局');
    expect(hurdb).toMatchObject({ name: { zh: '住房和城乡建设局', en: 'Housing and Urban-Rural Development Bureau' } });
    expect(hurdb?.aliases).toEqual(expect.arrayContaining(['住建', 'Housing and Construction Bureau', 'HURDB']));
    const zhongxing = seed.departments.find((d) => d.name.zh === '中兴街道');
    expect(zhongxing).toMatchObject({ name: { en: 'Zhongxing Subdistrict' } });
    expect(zhongxing?.aliases).toEqual(expect.arrayContaining(['中兴街道办事处', 'Zhongxing']));
    expect(departmentByShortName('督查室')).toMatchObject({
      name: { en: expect.stringContaining('Supervision Office') },
      sample: true,
    });
  });

  it('keeps the 7.5% value-added growth target exactly', () => {
    const growth = seed.targets.filter((t) => t.kind === 'level' && t.target === 7.5);
    expect(growth).toHaveLength(1);
    expect(growth[0]).toMatchObject({
      departmentId: departmentByShortName('经发局')?.id,
      kind: 'level',
      target: 7.5,
      comparator: 'atLeast',
      unit: { zh: '%' },
    });
    expect(growth[0]?.name.zh).toContain('规上工业增加值');
  });

  it('keeps the 40 renewal projects: a count target of 40 and exactly 40 projects in four categories', () => {
    const hurdbId = departmentByShortName('住建局')?.id;
    const count = seed.targets.find((t) => t.id === 't-hurdb-renewal-starts');
    expect(count).toMatchObject({
      kind: 'cumulative',
      departmentId: hurdbId,
      baseline: 0,
      target: 40,
      unit: { zh: '项' },
    });

    const projects = renewalProjects();
    expect(projects).toHaveLength(40);
    expect(projects.map((p) => p.id)).toEqual(
      Array.from({ length: 40 }, (_, i) => `ur-${String(i + 1).padStart(2, '0')}`),
    );
    for (const p of projects) {
      expect(p.departmentId, p.id).toBe(hurdbId);
      expect(p.tags, p.id).toEqual(expect.arrayContaining(['城市更新', 'urban renewal']));
      expect(p.category?.zh, p.id).toBeTruthy();
      expect(p.milestones.length, p.id).toBeGreaterThanOrEqual(2);
      expect(p.milestones.length, p.id).toBeLessThanOrEqual(3);
      expect(
        p.milestones.filter((m) => m.name.zh === '开工'),
        `${p.id} has one works start`,
      ).toHaveLength(1);
    }
    const categories = new Map<string, number>();
    for (const p of projects) categories.set(p.category!.zh, (categories.get(p.category!.zh) ?? 0) + 1);
    expect(categories.size).toBe(4);
    expect(new Set(projects.map((p) => p.category!.en)).size).toBe(4);

    const pledge = seed.commitments.find((c) => c.pledge.zh.includes('四大类共40项更新项目'));
    expect(pledge?.departmentId).toBe(hurdbId);
    expect(pledge?.projectIds).toEqual(projects.map((p) => p.id));
    expect(pledge?.targetIds).toContain('t-hurdb-renewal-starts');
  });

  it('plans works starts in line with the count target checkpoints', () => {
    const count = seed.targets.find((t) => t.id === 't-hurdb-renewal-starts');
    if (count?.kind !== 'cumulative') throw new Error('count target missing');
    expect(count.checkpoints.length).toBeGreaterThan(0);
    for (const cp of count.checkpoints) {
      const planned = renewalProjects().filter(
        (p) => p.milestones.find((m) => m.name.zh === '开工')!.due <= cp.date,
      ).length;
      expect(planned, cp.date).toBe(Math.round(cp.share * count.target));
    }
  });

  it('models the AI+ carrier chain and the three cross-river platforms the article names', () => {
    const ai = seed.projects.filter((p) => p.tags.includes('AI+制造') && p.tags.includes('AI+数据'));
    expect(ai.map((p) => p.name.zh)).toEqual(['AI+孵化器', 'AI+加速器', 'AI+研发社区', 'AI+产业基地']);
    const chain = seed.commitments.find((c) => c.pledge.zh.includes('孵化器—加速器—研发社区—产业基地'));
    expect(chain?.projectIds).toEqual(ai.map((p) => p.id));
    const platforms = ['长三角国创中心南通分中心', '北大长三角光电研究院', '工信部制造业创新成果产业化长三角中心'];
    const crossRiver = seed.commitments.find(
      (c) => c.pledge.zh.includes('跨江') || c.pledge.zh.includes(platforms[0]!),
    );
    const linked = crossRiver?.projectIds.map((id) => seed.projects.find((p) => p.id === id)?.name.zh);
    expect(linked).toEqual(platforms);
    for (const p of [...ai, ...seed.projects.filter((q) => platforms.includes(q.name.zh))])
      expect(p.milestones.length, p.id).toBeGreaterThan(0);
  });

  it('models every pledge of the article as a commitment', () => {
    const pledges = seed.commitments.map((c) => c.pledge.zh).join('\n');
    for (const phrase of [
      '十年两千亿',
      '规上工业增加值7.5%以上',
      '批发零售企稳回升',
      '四大类共40项更新项目',
      '“三个一线”攻坚行动',
      '红色阵地和暖心驿站',
      '以党建强基服务保障项目高效推进',
      '“4+6”招商体系',
      '全链条载体平台',
      '北大长三角光电研究院',
      '“1223”跨越发展行动',
      '“四主一最一中心”',
    ]) {
      expect(pledges, phrase).toContain(phrase);
    }
  });
});

describe('seed: progress history', () => {
  it('is seed data, in time order, with ids u-0001 onwards', () => {
    seed.updates.forEach((u, i) => {
      expect(u.id).toBe(`u-${String(i + 1).padStart(4, '0')}`);
      expect(u).toMatchObject({ by: 'seed', source: 'seed', sample: true });
      if (i > 0) expect(Date.parse(u.at), u.id).toBeGreaterThanOrEqual(Date.parse(seed.updates[i - 1]!.at));
    });
  });

  it('lies between 2026-02-01 and 2026-11-27, Asia/Shanghai', () => {
    for (const u of seed.updates) {
      expect(u.at, u.id).toMatch(/\+08:00$/);
      const day = shanghaiDate(u.at);
      expect(day >= '2026-02-01' && day <= '2026-11-27', `${u.id} ${u.at}`).toBe(true);
    }
  });

  it('refers to items and milestones that exist, with the fields their kind takes', () => {
    const kinds = new Map<string, string>();
    const milestones = new Map<string, Set<string>>();
    for (const t of seed.targets) kinds.set(t.id, 'target');
    for (const p of [...seed.projects, ...seed.commitments]) {
      kinds.set(p.id, seed.projects.includes(p as never) ? 'project' : 'commitment');
      milestones.set(p.id, new Set(p.milestones.map((m) => m.id)));
    }
    for (const u of seed.updates) {
      const kind = kinds.get(u.itemId);
      expect(kind, `${u.id} → ${u.itemId}`).toBeDefined();
      if (kind === 'target') {
        expect(typeof u.value, u.id).toBe('number');
        expect(u.percent ?? u.state ?? u.milestoneId, u.id).toBeUndefined();
      } else {
        expect(u.value, u.id).toBeUndefined();
        expect(u.percent !== undefined || u.state !== undefined, u.id).toBe(true);
      }
      if (u.milestoneId) {
        expect(milestones.get(u.itemId)?.has(u.milestoneId), `${u.id} → ${u.itemId}/${u.milestoneId}`).toBe(true);
        expect(u.state, u.id).toBe('done');
      }
    }
  });

  it('reports every item at least once and reaches each milestone at most once', () => {
    for (const item of items()) expect(updatesOf(item.id).length, item.id).toBeGreaterThan(0);
    for (const item of [...seed.projects, ...seed.commitments]) {
      const reached = updatesOf(item.id)
        .filter((u) => u.milestoneId)
        .map((u) => u.milestoneId);
      expect(new Set(reached).size, item.id).toBe(reached.length);
    }
  });

  it('ends each project and commitment with an item-level report, not a milestone', () => {
    for (const item of [...seed.projects, ...seed.commitments])
      expect(latest(item.id)?.milestoneId, item.id).toBeUndefined();
  });

  it('counts renewal works starts exactly as the projects report them', () => {
    const startOf = new Map(renewalProjects().map((p) => [p.id, p.milestones.find((m) => m.name.zh === '开工')!.id]));
    const startedAt = new Map<string, number>();
    for (const u of seed.updates)
      if (u.milestoneId && startOf.get(u.itemId) === u.milestoneId) startedAt.set(u.itemId, Date.parse(u.at));
    const counts = updatesOf('t-hurdb-renewal-starts');
    expect(counts.length).toBeGreaterThanOrEqual(10);
    for (const u of counts) {
      const started = [...startedAt.values()].filter((t) => t <= Date.parse(u.at)).length;
      expect(u.value, u.at).toBe(started);
    }
  });

  it('never lowers a cumulative count that should only grow, nor a project percentage', () => {
    for (const t of seed.targets) {
      if (t.kind !== 'cumulative') continue;
      const values = updatesOf(t.id).map((u) => u.value!);
      const direction = Math.sign(t.target - t.baseline);
      values
        .slice(1)
        .forEach((v, i) => expect(direction * (v - values[i]!), `${t.id} #${i + 1}`).toBeGreaterThanOrEqual(0));
    }
    for (const p of seed.projects) {
      const percents = updatesOf(p.id).flatMap((u) => (u.percent === undefined ? [] : [u.percent]));
      percents.slice(1).forEach((v, i) => expect(v, `${p.id} #${i + 1}`).toBeGreaterThanOrEqual(percents[i]!));
    }
  });

  it('looks like a realistic late-November picture', () => {
    const growth = latest('t-edb-iva-growth')?.value ?? NaN;
    expect(growth).toBeGreaterThanOrEqual(7.0); // within the amber band below 7.5
    expect(growth).toBeLessThan(7.5);
    const started = latest('t-hurdb-renewal-starts')?.value ?? NaN;
    expect(started).toBeGreaterThanOrEqual(28); // a little behind the 40
    expect(started).toBeLessThanOrEqual(31);

    const renewalStates = renewalProjects().map((p) => latest(p.id, (u) => !u.milestoneId && u.state !== undefined)!);
    expect(renewalStates.filter((u) => u.state === 'done').length).toBeGreaterThanOrEqual(3);
    const blocked = renewalStates.filter((u) => u.state === 'blocked');
    expect(blocked.length).toBeGreaterThanOrEqual(1);
    expect(blocked.length).toBeLessThanOrEqual(2);
    for (const u of blocked) expect(u.note, u.itemId).toBeTruthy(); // says why

    const overdue = [...seed.projects, ...seed.commitments].filter((item) => {
      if (latest(item.id, (u) => !u.milestoneId)?.state === 'done') return false;
      const reached = reachedMilestones(item.id);
      return item.milestones.some((m) => m.due < EVALUATED_ON && !reached.has(m.id));
    });
    expect(overdue.length).toBeGreaterThanOrEqual(2);
    expect(overdue.length).toBeLessThanOrEqual(8);

    // Monthly items whose last report is from before October (the last completed month).
    const stale = items().filter(
      (item) =>
        item.reporting.cadence === 'monthly' &&
        latest(item.id, (u) => !u.milestoneId)?.state !== 'done' &&
        shanghaiDate(latest(item.id)!.at) < '2026-10-01',
    );
    expect(stale.length).toBeGreaterThanOrEqual(2);
    expect(stale.length).toBeLessThanOrEqual(3);
    for (const item of stale) expect(shanghaiDate(latest(item.id)!.at) >= '2026-08-01', item.id).toBe(true);
  });
});
