/** The progress bulletin (通报) as a message: ranking, counts, what changed, risks, overdue items. */
import type { Bulletin } from '../src/domain/bulletin.ts';
import type { ReadModel } from '../src/domain/read-model.ts';
import { formatDate, type Locale, messages, pick } from '../src/i18n/index.ts';
import { countsText, departmentName, reasonsText, STATUS_EMOJI } from './format.ts';
import { joinMd, md, type Reply, type ReplyBlock } from './reply.ts';

const RANKED = 30;
const LISTED = 10;

export function bulletinReply(b: Bulletin, model: ReadModel, locale: Locale, extra: ReplyBlock[] = []): Reply {
  const m = messages(locale).bulletin;
  const f = messages(locale).format;
  const ctx = { model, today: b.today, locale };
  const zone = pick(model.db.meta.zone, locale);
  const title = m.title(zone, formatDate(b.today, locale));
  const blocks: ReplyBlock[] = [
    { type: 'header', text: title },
    { type: 'section', text: md`*${m.overall}*　${countsText(b.counts, locale)}` },
    ...extra,
    { type: 'divider' },
  ];
  const ranked = b.departments.filter((r) => r.items.length > 0).slice(0, RANKED);
  blocks.push({
    type: 'section',
    text: joinMd([
      md`*${m.ranking}*`,
      ...ranked.map((r) =>
        r.rank === undefined
          ? md`${departmentName(r.department, locale)}${f.parens(messages(locale).list.rank(undefined))}　${countsText(r.counts, locale)}`
          : md`${r.rank}. ${departmentName(r.department, locale)}　${countsText(r.counts, locale)}`,
      ),
    ]),
  });
  blocks.push({ type: 'context', elements: [md`${messages(locale).list.rankedBy}`] });
  if (b.since) {
    const worse = b.changes.filter((c) => c.direction === 'worse').slice(0, LISTED);
    const better = b.changes.filter((c) => c.direction === 'better').slice(0, LISTED);
    const lines = [
      ...worse.map(
        (c) => md`↘ ${pick(c.status.item.name, locale)}${f.colon}${STATUS_EMOJI[c.from]} → ${STATUS_EMOJI[c.to]}`,
      ),
      ...better.map(
        (c) => md`↗ ${pick(c.status.item.name, locale)}${f.colon}${STATUS_EMOJI[c.from]} → ${STATUS_EMOJI[c.to]}`,
      ),
    ];
    blocks.push({
      type: 'section',
      text: joinMd([
        md`*${m.changes(formatDate(b.since, locale, b.today))}*`,
        ...(lines.length ? lines : [md`${m.noChanges}`]),
      ]),
    });
  }
  if (b.risks.length > 0) {
    blocks.push({
      type: 'section',
      text: joinMd([
        md`*${m.risks}*`,
        ...b.risks.map((s) =>
          joinMd([md`${STATUS_EMOJI[s.status]} *${pick(s.item.name, locale)}* — `, reasonsText(s, ctx, 1)], ''),
        ),
      ]),
    });
  }
  if (b.overdue.length > 0) {
    const lines = b.overdue
      .slice(0, LISTED)
      .map((s) => md`🔴 ${pick(s.item.name, locale)}${f.colon}${f.list(s.overdue.map((o) => pick(o.name, locale)))}`);
    const next = b.overdue[LISTED] && model.department(b.overdue[LISTED].item.departmentId);
    if (next)
      lines.push(
        md`${messages(locale).list.moreByDepartment(b.overdue.length - LISTED, `/duban behind ${departmentName(next, locale)}`)}`,
      );
    blocks.push({ type: 'section', text: joinMd([md`*${m.overdue(b.overdue.length)}*`, ...lines]) });
  }
  if (model.db.meta.sampleNotice)
    blocks.push({ type: 'context', elements: [md`${messages(locale).list.sampleNotice}`] });
  return { text: title, blocks, visibility: 'in_channel' };
}
