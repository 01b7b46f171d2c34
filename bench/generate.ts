/**
 * A deterministic, synthetic store for the benchmark: ~300 departments, thousands of targets and
 * projects with milestones, one commitment per department, and a few progress reports per item, so
 * that status computation (pacing, missing reports, overdue milestones, blocked projects) is real.
 *
 * The same seed always gives the same data. Used in memory by bench/server.ts; can also be written
 * to an import file to try the dataset with the real CLI:
 *
 *   node bin/run-ts.js bench/generate.ts --out bench-data.json
 *   DATA_FILE=/tmp/bench-db.json npx duban import bench-data.json
 *   npx duban demo --data bench-data.json --now 2026-09-15 "/targets"
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { createReadModel, type ReadModel } from '../src/domain/read-model.ts';
import { Database, FORMAT_VERSION } from '../src/domain/schema.ts';

type DatabaseIn = z.input<typeof Database>;
type DepartmentIn = NonNullable<DatabaseIn['departments']>[number];
type TargetIn = NonNullable<DatabaseIn['targets']>[number];
type ProjectIn = NonNullable<DatabaseIn['projects']>[number];
type CommitmentIn = NonNullable<DatabaseIn['commitments']>[number];
type UpdateIn = NonNullable<DatabaseIn['updates']>[number];
type State = 'planned' | 'in_progress' | 'blocked' | 'delayed' | 'done';

export type DatasetOptions = {
  /** Number of departments (at most DISTRICTS × FUNCTIONS = 300). */
  departments: number;
  targets: number;
  projects: number;
  /** Average progress reports per target or project (each item gets 0 … 2×avg, deterministic). */
  updatesPerItem: number;
  seed: number;
};

export const DEFAULT_DATASET: DatasetOptions = {
  departments: 300,
  targets: 5000,
  projects: 5000,
  updatesPerItem: 3,
  seed: 20260915,
};

/** The year of the data, and the instant the benchmark evaluates it at (Tuesday 2026-09-15, 10:00 in Shanghai). */
export const BENCH_YEAR = 2026;
export const BENCH_NOW = new Date('2026-09-15T10:00:00+08:00');
export const BENCH_TODAY = '2026-09-15';
export const BENCH_TIME_ZONE = 'Asia/Shanghai';

/** Slack users who send the benchmark's commands; every tenth one reads English. */
export const BENCH_USER_COUNT = 50;
export function benchUsers(): Array<{ id: string; locale: 'zh-CN' | 'en-US' }> {
  return Array.from({ length: BENCH_USER_COUNT }, (_, i) => ({
    id: `U0BENCH${String(i).padStart(3, '0')}`,
    locale: i % 10 === 9 ? ('en-US' as const) : ('zh-CN' as const),
  }));
}

/** Small, fast, deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DISTRICTS: Array<[string, string]> = [
  ['东区', 'East'],
  ['西区', 'West'],
  ['南区', 'South'],
  ['北区', 'North'],
  ['中区', 'Central'],
  ['新港', 'Xingang'],
  ['滨江', 'Binjiang'],
  ['星湖', 'Xinghu'],
  ['中兴', 'Zhongxing'],
  ['竹行', 'Zhuhang'],
];
/** [full name, short name, English name, English abbreviation]. */
const FUNCTIONS: Array<[string, string, string, string]> = [
  ['经济发展局', '经发局', 'Economic Development Bureau', 'EDB'],
  ['住房和城乡建设局', '住建局', 'Housing and Urban-Rural Development Bureau', 'HURDB'],
  ['科技创新局', '科创局', 'Science and Innovation Bureau', 'SIB'],
  ['投资促进局', '投促局', 'Investment Promotion Bureau', 'IPB'],
  ['生态环境局', '环境局', 'Ecology and Environment Bureau', 'EEB'],
  ['财政局', '财政局', 'Finance Bureau', 'FB'],
  ['审计局', '审计局', 'Audit Bureau', 'AB'],
  ['应急管理局', '应急局', 'Emergency Management Bureau', 'EMB'],
  ['市场监督管理局', '市监局', 'Market Regulation Bureau', 'MRB'],
  ['文化旅游局', '文旅局', 'Culture and Tourism Bureau', 'CTB'],
  ['教育体育局', '教体局', 'Education and Sports Bureau', 'ESB'],
  ['卫生健康局', '卫健局', 'Health Bureau', 'HB'],
  ['民政局', '民政局', 'Civil Affairs Bureau', 'CAB'],
  ['人力资源和社会保障局', '人社局', 'Human Resources and Social Security Bureau', 'HRSSB'],
  ['交通运输局', '交通局', 'Transport Bureau', 'TB'],
  ['水务局', '水务局', 'Water Bureau', 'WB'],
  ['农业农村局', '农业局', 'Agriculture Bureau', 'AGB'],
  ['商务局', '商务局', 'Commerce Bureau', 'COB'],
  ['统计局', '统计局', 'Statistics Bureau', 'SB'],
  ['城市管理局', '城管局', 'Urban Management Bureau', 'UMB'],
  ['自然资源和规划局', '资规局', 'Natural Resources and Planning Bureau', 'NRPB'],
  ['行政审批局', '审批局', 'Administrative Approval Bureau', 'AAB'],
  ['数据局', '数据局', 'Data Bureau', 'DB'],
  ['党政办公室', '党政办', 'Party and Government Office', 'PGO'],
  ['组织人事局', '组人局', 'Organisation and Personnel Bureau', 'OPB'],
  ['宣传统战部', '宣统部', 'Publicity Department', 'PD'],
  ['社会事业局', '社事局', 'Social Affairs Bureau', 'SAB'],
  ['安全生产监督局', '安监局', 'Work Safety Bureau', 'WSB'],
  ['园区服务中心', '园服中心', 'Park Service Centre', 'PSC'],
  ['综合执法局', '执法局', 'Law Enforcement Bureau', 'LEB'],
];

const METRICS: Array<{ zh: string; en: string; unit: [string, string]; kind: 'cumulative' | 'level'; scale: number }> =
  [
    { zh: '规上工业产值', en: 'Industrial output', unit: ['亿元', '100M CNY'], kind: 'cumulative', scale: 500 },
    { zh: '固定资产投资', en: 'Fixed-asset investment', unit: ['亿元', '100M CNY'], kind: 'cumulative', scale: 200 },
    { zh: '新签约项目', en: 'New signed projects', unit: ['个', 'projects'], kind: 'cumulative', scale: 60 },
    { zh: '新增高新技术企业', en: 'New high-tech firms', unit: ['家', 'firms'], kind: 'cumulative', scale: 80 },
    { zh: '老旧小区改造', en: 'Old compounds renovated', unit: ['个', 'compounds'], kind: 'cumulative', scale: 40 },
    { zh: '新增就业', en: 'New jobs', unit: ['人', 'people'], kind: 'cumulative', scale: 3000 },
    { zh: '实际使用外资', en: 'Foreign capital used', unit: ['万美元', '10k USD'], kind: 'cumulative', scale: 5000 },
    {
      zh: '社会消费品零售额',
      en: 'Retail sales of consumer goods',
      unit: ['亿元', '100M CNY'],
      kind: 'cumulative',
      scale: 120,
    },
    { zh: '工业增加值增速', en: 'Growth of industrial value added', unit: ['%', '%'], kind: 'level', scale: 7.5 },
    { zh: '空气优良天数比例', en: 'Share of good-air days', unit: ['%', '%'], kind: 'level', scale: 85 },
    { zh: '研发投入强度', en: 'R&D intensity', unit: ['%', '%'], kind: 'level', scale: 3.2 },
    { zh: '安全事故起数', en: 'Work-safety accidents', unit: ['起', 'accidents'], kind: 'level', scale: 5 },
  ];

const PROJECT_KINDS: Array<[string, string]> = [
  ['道路改造工程', 'road upgrade'],
  ['厂房建设项目', 'factory construction'],
  ['智慧园区平台', 'smart park platform'],
  ['污水管网工程', 'sewer network works'],
  ['人才公寓', 'talent apartments'],
  ['数字化转型项目', 'digital transformation project'],
  ['学校扩建工程', 'school extension'],
  ['公园绿地提升', 'park upgrade'],
];

const CATEGORIES: Array<[string, string]> = [
  ['经济运行', 'Economic performance'],
  ['招商引资', 'Investment attraction'],
  ['科技创新', 'Innovation'],
  ['城市更新', 'Urban renewal'],
  ['生态环保', 'Environment'],
  ['民生保障', 'Livelihoods'],
  ['安全生产', 'Work safety'],
  ['营商环境', 'Business environment'],
];
const TAGS = [
  '十五五',
  '工业',
  '投资',
  'AI+制造',
  '城市更新',
  '民生',
  '绿色低碳',
  '数字经济',
  '外资',
  '人才',
  '安全',
  '重点项目',
];
const NOTES = [
  '按计划推进',
  '已召开推进会',
  '资金已到位',
  '等待审批',
  '受天气影响',
  '协调用地问题',
  '已完成招标',
  '进度略有滞后',
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const fromDayNumber = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
const YEAR_START = `${BENCH_YEAR}-01-01`;
const YEAR_END = `${BENCH_YEAR}-12-31`;
/** Reports are spread from the kickoff to the day before "now". */
const FIRST_REPORT_DAY = dayNumber(`${BENCH_YEAR}-02-10`);
const LAST_REPORT_DAY = dayNumber(BENCH_TODAY) - 1;

export type Dataset = {
  doc: DatabaseIn;
  counts: { departments: number; targets: number; projects: number; commitments: number; updates: number };
};

/** Builds the import/store document (zod input form) for `options`. Deterministic. */
export function generateDataset(options: Partial<DatasetOptions> = {}): Dataset {
  const o = { ...DEFAULT_DATASET, ...options };
  if (o.departments < 1 || o.departments > DISTRICTS.length * FUNCTIONS.length) {
    throw new Error(`departments must be between 1 and ${DISTRICTS.length * FUNCTIONS.length}`);
  }
  const rnd = prng(o.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const users = benchUsers();

  const departments: DepartmentIn[] = [];
  for (let i = 0; i < o.departments; i++) {
    const [dz, de] = DISTRICTS[i % DISTRICTS.length]!;
    const [fz, fs, fe, fa] = FUNCTIONS[Math.floor(i / DISTRICTS.length)]!;
    const members = [users[i % users.length]!.id, users[(i * 7 + 3) % users.length]!.id];
    departments.push({
      id: `d${pad(i + 1, 3)}`,
      name: { zh: `${dz}${fz}`, en: `${de} ${fe}` },
      shortName: { zh: `${dz}${fs}`, en: `${de} ${fa}` },
      aliases: [`${dz}${fs.slice(0, 2)}`, `${de}-${fa}`],
      memberIds: [...new Set(members)],
      leadIds: [members[0]!],
      sample: true,
    });
  }
  const deptId = (i: number) => departments[i % departments.length]!.id;
  const coDepts = (i: number): string[] =>
    rnd() < 0.2 ? [deptId(i + 1 + int(0, departments.length - 2))].filter((d) => d !== deptId(i)) : [];

  const updates: UpdateIn[] = [];
  let updateSeq = 0;
  const at = (day: number) => `${fromDayNumber(day)}T${pad(int(8, 18))}:${pad(int(0, 3) * 15)}:00+08:00`;
  const addUpdate = (u: Omit<UpdateIn, 'id' | 'by' | 'source' | 'sample'>) => {
    updateSeq += 1;
    updates.push({ id: `u-${pad(updateSeq, 6)}`, by: pickOf(users).id, source: 'import', sample: true, ...u });
  };
  /**
   * Sorted report days for one item: `n` days between the kickoff and yesterday, the latest one recent
   * (so most items are up to date) except for ~12% of items whose reports stopped weeks or months ago.
   */
  const reportDays = (n: number): number[] => {
    if (n === 0) return [];
    const stale = rnd() < 0.12;
    const last = stale ? LAST_REPORT_DAY - int(30, 120) : LAST_REPORT_DAY - int(0, 6);
    const days = Array.from({ length: n - 1 }, () => int(FIRST_REPORT_DAY, last));
    return [...days, last].sort((a, b) => a - b);
  };
  const reportCount = () => (rnd() < 0.04 ? 0 : int(1, 2 * o.updatesPerItem - 1));
  const yearFraction = (day: number) => (day - dayNumber(YEAR_START)) / (dayNumber(YEAR_END) - dayNumber(YEAR_START));

  const targets: TargetIn[] = [];
  for (let i = 0; i < o.targets; i++) {
    const metric = METRICS[i % METRICS.length]!;
    const [cz, ce] = CATEGORIES[i % CATEGORIES.length]!;
    const id = `t-${pad(i + 1, 5)}`;
    const owner = i % departments.length;
    const dept = departments[owner]!;
    const base = {
      id,
      departmentId: dept.id,
      coDepartmentIds: coDepts(owner),
      name: {
        zh: `${dept.shortName!.zh}${metric.zh}（${i + 1}）`,
        en: `${dept.shortName!.en} ${metric.en} (${i + 1})`,
      },
      category: { zh: cz, en: ce },
      tags: [TAGS[i % TAGS.length]!, TAGS[(i * 5 + 1) % TAGS.length]!].filter((t, j, a) => a.indexOf(t) === j),
      period: { start: YEAR_START, end: YEAR_END },
      reporting: {
        cadence: pickOf(['monthly', 'monthly', 'monthly', 'monthly', 'quarterly', 'quarterly', 'weekly'] as const),
        graceDays: 5,
      },
      unit: { zh: metric.unit[0], en: metric.unit[1] },
      sample: true,
    };
    const days = reportDays(reportCount());
    if (metric.kind === 'cumulative') {
      const target = Math.round(metric.scale * (0.5 + rnd()) * 10) / 10;
      const checkpoints =
        rnd() < 0.3
          ? [
              { date: `${BENCH_YEAR}-03-31`, share: 0.2 },
              { date: `${BENCH_YEAR}-06-30`, share: 0.45 },
              { date: `${BENCH_YEAR}-09-30`, share: 0.75 },
            ]
          : [];
      targets.push({ ...base, kind: 'cumulative', baseline: 0, target, checkpoints });
      // Pace factor: most items on plan or ahead (some done early), ~12% somewhat behind, ~5% far behind.
      const pace = rnd() < 0.05 ? 0.3 + rnd() * 0.3 : 0.8 + rnd() * 0.55;
      for (const day of days) {
        addUpdate({
          itemId: id,
          at: at(day),
          value: Math.round(target * Math.min(1.05, yearFraction(day) * pace) * 10) / 10,
          ...(rnd() < 0.3 ? { note: pickOf(NOTES) } : {}),
        });
      }
    } else {
      const atMost = metric.zh.includes('事故');
      const target = metric.scale;
      targets.push({
        ...base,
        kind: 'level',
        target,
        comparator: atMost ? 'atMost' : 'atLeast',
        tolerance: Math.round(target * 0.05 * 100) / 100,
      });
      for (const day of days) {
        const drift = (rnd() < 0.05 ? -0.12 : (rnd() - 0.3) * 0.1) * target;
        addUpdate({ itemId: id, at: at(day), value: Math.round((target + (atMost ? -drift : drift)) * 100) / 100 });
      }
    }
  }

  const projects: ProjectIn[] = [];
  for (let i = 0; i < o.projects; i++) {
    const [kz, ke] = PROJECT_KINDS[i % PROJECT_KINDS.length]!;
    const [cz, ce] = CATEGORIES[(i + 3) % CATEGORIES.length]!;
    const owner = (i * 7) % departments.length;
    const dept = departments[owner]!;
    const id = `p-${pad(i + 1, 5)}`;
    const start = `${BENCH_YEAR}-${pad(int(1, 4))}-01`;
    const dues = [int(60, 150), int(151, 260), int(261, 364)].map((d) => fromDayNumber(dayNumber(YEAR_START) + d));
    const milestones = [
      { id: 'm1', name: { zh: '开工', en: 'Works start' }, due: dues[0]! },
      { id: 'm2', name: { zh: '主体完工', en: 'Main works complete' }, due: dues[1]! },
      { id: 'm3', name: { zh: '竣工验收', en: 'Completion acceptance' }, due: dues[2]! },
    ];
    projects.push({
      id,
      departmentId: dept.id,
      coDepartmentIds: coDepts(owner),
      name: { zh: `${dept.shortName!.zh}${kz}${i + 1}号`, en: `${dept.shortName!.en} ${ke} no. ${i + 1}` },
      category: { zh: cz, en: ce },
      tags: [TAGS[(i + 4) % TAGS.length]!],
      period: { start, end: YEAR_END },
      reporting: { cadence: rnd() < 0.8 ? 'monthly' : 'quarterly', graceDays: 5 },
      milestones,
      sample: true,
    });
    const days = reportDays(reportCount());
    const fate = rnd();
    let percent = 0;
    const done = new Set<string>();
    days.forEach((day, k) => {
      const date = fromDayNumber(day);
      const last = k === days.length - 1;
      percent = Math.min(100, percent + int(5, 25));
      let state: State = percent >= 100 ? 'done' : date < start ? 'planned' : 'in_progress';
      if (last && state !== 'done' && fate < 0.04) state = 'blocked';
      else if (last && state !== 'done' && fate < 0.1) state = 'delayed';
      addUpdate({
        itemId: id,
        at: at(day),
        percent,
        state,
        ...(state === 'blocked' || state === 'delayed' || rnd() < 0.2 ? { note: pickOf(NOTES) } : {}),
      });
      // Milestones due by (about) the report date are usually reported reached.
      for (const m of milestones) {
        if (!done.has(m.id) && m.due <= fromDayNumber(day + 10) && rnd() < 0.85) {
          done.add(m.id);
          addUpdate({ itemId: id, at: at(day), state: 'done', milestoneId: m.id });
        }
      }
    });
  }

  // One commitment per department, tracked by two of its targets and one of its projects.
  const commitments: CommitmentIn[] = [];
  const targetsOf = new Map<string, string[]>();
  for (const t of targets) targetsOf.set(t.departmentId, [...(targetsOf.get(t.departmentId) ?? []), t.id]);
  const projectsOf = new Map<string, string[]>();
  for (const p of projects) projectsOf.set(p.departmentId, [...(projectsOf.get(p.departmentId) ?? []), p.id]);
  departments.forEach((d, i) => {
    commitments.push({
      id: `c-${d.id}`,
      departmentId: d.id,
      name: { zh: `${d.shortName!.zh}年度承诺`, en: `${d.shortName!.en} yearly pledge` },
      pledge: { zh: `${d.name.zh}全面完成年度目标任务`, en: `${d.name.en} meets every yearly target` },
      period: { start: YEAR_START, end: YEAR_END },
      reporting: { cadence: 'quarterly', graceDays: 5 },
      targetIds: (targetsOf.get(d.id) ?? []).slice(0, 2),
      projectIds: (projectsOf.get(d.id) ?? []).slice(0, 1),
      milestones:
        i % 3 === 0 ? [{ id: 'h1', name: { zh: '半年评估', en: 'Half-year review' }, due: `${BENCH_YEAR}-07-15` }] : [],
      sample: true,
    });
  });

  const doc: DatabaseIn = {
    version: FORMAT_VERSION,
    meta: {
      zone: { zh: '基准测试开发区', en: 'Benchmark Development Zone' },
      year: BENCH_YEAR,
      sampleNotice: 'Synthetic benchmark data (bench/generate.ts).',
    },
    departments,
    targets,
    projects,
    commitments,
    updates,
    exemptions: [
      { itemId: targets[0]!.id, reason: '统计口径调整', by: users[0]!.id, at: `${BENCH_YEAR}-03-01T09:00:00+08:00` },
    ],
  };
  return {
    doc,
    counts: {
      departments: departments.length,
      targets: targets.length,
      projects: projects.length,
      commitments: commitments.length,
      updates: updates.length,
    },
  };
}

/** Validates the generated document exactly as the store does and builds the app's read model. */
/** The flags that hand a dataset to the benchmark server process (bench/server.ts reads them back). */
export function datasetFlags(d: DatasetOptions): string[] {
  return (['targets', 'projects', 'departments', 'updatesPerItem', 'seed'] as const).flatMap((k) => [
    `--${k}`,
    String(d[k]),
  ]);
}

export function buildBenchModel(options: Partial<DatasetOptions> = {}): { model: ReadModel; dataset: Dataset } {
  const dataset = generateDataset(options);
  const model = createReadModel(Database.parse(dataset.doc), BENCH_TIME_ZONE);
  return { model, dataset };
}

/** Queries the load generator sends as `/targets <text>`, by kind (deterministic for a seed). */
export type QueryKind = 'overview' | 'page' | 'dept' | 'id' | 'search';
export const QUERY_KINDS: readonly QueryKind[] = ['overview', 'page', 'dept', 'id', 'search'];

export function queryText(
  kind: QueryKind,
  i: number,
  options: Pick<DatasetOptions, 'departments' | 'targets'>,
): string {
  const d = i % options.departments;
  const [dz] = DISTRICTS[d % DISTRICTS.length]!;
  const [, fs] = FUNCTIONS[Math.floor(d / DISTRICTS.length)]!;
  switch (kind) {
    case 'overview':
      return '';
    case 'page':
      return `p${2 + (i % 5)}`;
    case 'dept':
      return `${dz}${fs}`;
    case 'id':
      return `t-${pad(((i * 37) % options.targets) + 1, 5)}`;
    case 'search':
      return METRICS[i % METRICS.length]!.zh;
  }
}

function parseFlags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (v !== undefined) out[k] = v;
    else out[k] = argv[++i] ?? '';
  }
  return out;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const flags = parseFlags(process.argv.slice(2));
  const out = flags.out ?? 'bench-data.json';
  const num = (name: keyof DatasetOptions) => (flags[name] !== undefined ? Number(flags[name]) : DEFAULT_DATASET[name]);
  const { counts, doc } = generateDataset({
    departments: num('departments'),
    targets: num('targets'),
    projects: num('projects'),
    updatesPerItem: num('updatesPerItem'),
    seed: num('seed'),
  });
  Database.parse(doc); // fail here, not in `duban import`, if the generator is wrong
  writeFileSync(out, `${JSON.stringify(doc, null, 1)}\n`);
  console.log(
    `wrote ${out}: ${counts.departments} departments, ${counts.targets} targets, ${counts.projects} projects, ${counts.commitments} commitments, ${counts.updates} updates`,
  );
  console.log(
    `try it: DATA_FILE=/tmp/duban-bench-db.json npx duban import ${out}   or   npx duban demo --data ${out} --now ${BENCH_TODAY} "/targets"`,
  );
}
