/**
 * `writeBulletinMarkdown`: the progress bulletin (通报) as Markdown: departments ranked with counts
 * by status, then every item behind (red) with its reasons, items at risk, and overdue milestones.
 */
import type { ReadModel } from '../domain/read-model.ts';
import { compareWorstFirst, type ItemStatus } from '../domain/status.ts';
import { formatDate, formatNumber, messages, pick, type Locale } from '../i18n/index.ts';
import { departmentName, milestoneText, ownerName, reasonsInWords } from './words.ts';

export type BulletinModel = Pick<ReadModel, 'db' | 'rollup' | 'evaluate'>;

const TEXT = {
  'zh-CN': {
    title: (zone: string, date: string) => `# ${zone}目标任务推进情况通报（截至 ${date}）`,
    overview: (total: number, red: number, amber: number, green: number, done: number) =>
      `全区共跟踪 ${total} 项，其中落后 ${red} 项、预警 ${amber} 项、正常 ${green} 项、已完成 ${done} 项。`,
    ranking: '## 一、各部门排名',
    head: ['排名', '部门', '落后', '预警', '正常', '已完成', '未开始', '正常率'],
    red: '## 二、落后事项',
    amber: '## 三、预警事项',
    overdue: '## 四、逾期节点',
    none: '无。',
    sample: '> 注：本通报含示例数据。',
  },
  en: {
    title: (zone: string, date: string) => `# ${zone}: progress bulletin (as of ${date})`,
    overview: (total: number, red: number, amber: number, green: number, done: number) =>
      `${total} items tracked: ${red} behind, ${amber} at risk, ${green} on track, ${done} done.`,
    ranking: '## 1. Departments ranked',
    head: ['Rank', 'Department', 'Behind', 'At risk', 'On track', 'Done', 'Not started', 'On track share'],
    red: '## 2. Behind',
    amber: '## 3. At risk',
    overdue: '## 4. Overdue milestones',
    none: 'None.',
    sample: '> Note: this bulletin contains sample data.',
  },
} as const;

/** Markdown table cells: pipes and line breaks would break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function itemLine(s: ItemStatus, owner: string, locale: Locale, today: string): string {
  const name = cell(pick(s.item.name, locale));
  const reasons = cell(reasonsInWords(s, locale, today).join(locale === 'en' ? '; ' : '；'));
  return locale === 'en' ? `- **${name}** (${cell(owner)}): ${reasons}` : `- **${name}**（${cell(owner)}）：${reasons}`;
}

/** The 通报 for `today` in `locale`, as Markdown. */
export function writeBulletinMarkdown(model: BulletinModel, today: string, locale: Locale): string {
  const t = TEXT[locale];
  const m = messages(locale);
  const rollup = model.rollup(today);
  const departments = new Map(model.db.departments.map((d) => [d.id, d]));
  const c = rollup.counts;
  const total = c.red + c.amber + c.green + c.done + c.pending + c.exempt;
  const lines: string[] = [t.title(pick(model.db.meta.zone, locale), formatDate(today, locale)), '', t.overview(total, c.red, c.amber, c.green, c.done), ''];

  lines.push(t.ranking, '', `| ${t.head.join(' | ')} |`, `|${t.head.map(() => ' --- ').join('|')}|`);
  for (const r of rollup.departments) {
    const share = r.onTrackShare === undefined ? '—' : m.format.percent(formatNumber(r.onTrackShare * 100, locale, 1));
    lines.push(`| ${r.rank} | ${cell(departmentName(r.department, locale))} | ${r.counts.red} | ${r.counts.amber} | ${r.counts.green} | ${r.counts.done} | ${r.counts.pending} | ${share} |`);
  }
  lines.push('');

  const owner = (s: ItemStatus) => ownerName(departments, s.item.departmentId, locale);
  const red = rollup.behind.filter((s) => s.status === 'red');
  const amber = rollup.behind.filter((s) => s.status === 'amber');
  lines.push(t.red, '');
  lines.push(...(red.length > 0 ? red.map((s) => itemLine(s, owner(s), locale, today)) : [t.none]), '');
  lines.push(t.amber, '');
  lines.push(...(amber.length > 0 ? amber.map((s) => itemLine(s, owner(s), locale, today)) : [t.none]), '');

  // Every item, commitments with linked targets included: those are not counted in the ranking but their milestones still fall due.
  const overdue = [...model.evaluate(today).byId.values()].filter((s) => s.overdue.length > 0).sort(compareWorstFirst);
  lines.push(t.overdue, '');
  if (overdue.length === 0) lines.push(t.none);
  for (const s of overdue) {
    const names = s.overdue.map((o) => milestoneText(o, locale, today)).join(locale === 'en' ? ', ' : '、');
    lines.push(`- ${cell(pick(s.item.name, locale))}${locale === 'en' ? ` (${cell(owner(s))}): ` : `（${cell(owner(s))}）：`}${cell(names)}`);
  }
  lines.push('');
  if (model.db.meta.sampleNotice) lines.push(t.sample, '');
  return lines.join('\n');
}
