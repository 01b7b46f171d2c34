/**
 * `/duban schedule set assigners|sign-within|evidence …`: the 督办 cycle's own settings — who may assign
 * (交办), how many working days an assignment may stay unsigned (签收), which claims of done need
 * evidence (销号) — changed by admins like the schedule, each mistake answered naming the setting.
 */
import type { Settings } from '../src/domain/schema.ts';
import { formatNumber, type Locale, messages } from '../src/i18n/index.ts';
import { usageReply } from './format.ts';
import { type Mrkdwn, md, type Reply } from './reply.ts';

type Change = (patch: Partial<Settings>, reply: string) => Promise<Reply>;

const ASSIGNERS: Record<string, Settings['assigners']> = {
  admins: 'admins',
  管理员: 'admins',
  leads: 'admins_and_leads',
  负责人: 'admins_and_leads',
  部门负责人: 'admins_and_leads',
};
const EVIDENCE: Record<string, Settings['evidenceRequired']> = {
  assigned: 'assigned',
  交办: 'assigned',
  交办事项: 'assigned',
  all: 'all',
  全部: 'all',
  none: 'none',
  不需要: 'none',
  无: 'none',
};

/** The reply to one of the cycle's settings, or undefined when `key` is none of them. */
export function setCycleSetting(
  key: string,
  value: string,
  locale: Locale,
  change: Change,
): Promise<Reply> | undefined {
  const c = messages(locale).cycleSettings;
  const s = messages(locale).schedule;
  const word = value.trim().toLowerCase();
  switch (key) {
    case 'assigners': {
      const to = Object.hasOwn(ASSIGNERS, word) ? ASSIGNERS[word] : undefined;
      if (!to) return Promise.resolve(usageReply(c.badAssigners(value), '/duban schedule set assigners leads', locale));
      return change({ assigners: to }, s.set(c.name.assigners, c.assigners[to]));
    }
    case 'sign-within': {
      const n = Number(word);
      if (!/^\d+$/.test(word) || n > 30)
        return Promise.resolve(
          usageReply(
            s.outOfRange(c.name.signWithin, s.workdays(formatNumber(0, locale)), s.workdays(formatNumber(30, locale))),
            '/duban schedule set sign-within 2',
            locale,
          ),
        );
      return change({ signWithinWorkdays: n }, s.set(c.name.signWithin, s.workdays(formatNumber(n, locale))));
    }
    case 'evidence': {
      const to = Object.hasOwn(EVIDENCE, word) ? EVIDENCE[word] : undefined;
      if (!to) return Promise.resolve(usageReply(c.badEvidence(value), '/duban schedule set evidence all', locale));
      return change({ evidenceRequired: to }, s.set(c.name.evidence, c.evidence[to]));
    }
  }
  return undefined;
}

/** The cycle's settings as `/duban schedule` lists them. */
export function cycleSettingLines(settings: Settings, locale: Locale): Mrkdwn[] {
  const c = messages(locale).cycleSettings;
  return [
    md`*${c.title}*`,
    md`• ${c.line(c.name.assigners, c.assigners[settings.assigners])}`,
    md`• ${c.line(c.name.signWithin, messages(locale).schedule.workdays(formatNumber(settings.signWithinWorkdays, locale)))}`,
    md`• ${c.line(c.name.evidence, c.evidence[settings.evidenceRequired])}`,
    md`${c.usage}`,
  ];
}
