/**
 * /duban llm — the optional model's switches and health: whether it is configured, on zone-wide and
 * per department, the circuit breaker, calls, cache hits and tokens. Admins turn it on or off
 * (`/duban llm on|off [department]`); each change is a journal event, so the audit trail shows who
 * let data go to a model and when.
 */
import { messages } from '../src/i18n/index.ts';
import { type CommandContext, canWrite } from './context.ts';
import { departmentName, usageReply } from './format.ts';
import { rulesAssistant } from './llm-digest.ts';
import { joinMd, type Mrkdwn, md, type Reply } from './reply.ts';
import { lookupDepartment } from './views.ts';

export type LlmArgs = { change?: 'on' | 'off'; department: string };

const ON = new Set(['on', 'enable', '开启', '打开', '启用']);
const OFF = new Set(['off', 'disable', '关闭', '停用']);

/** The words after `/duban llm`. */
export function parseLlm(rest: string): LlmArgs {
  const [first = '', ...others] = rest.trim().split(/\s+/);
  const word = first.toLowerCase();
  if (ON.has(word)) return { change: 'on', department: others.join(' ') };
  if (OFF.has(word)) return { change: 'off', department: others.join(' ') };
  return { department: rest.trim() };
}

function ephemeral(lines: Mrkdwn[], text: string): Reply {
  return { text, blocks: [{ type: 'section', text: joinMd(lines) }], visibility: 'ephemeral' };
}

function time(iso: string, ctx: CommandContext): string {
  // HH:MM in the zone's time zone.
  return new Intl.DateTimeFormat(ctx.locale, {
    timeZone: ctx.model.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

export function llmStatusReply(ctx: CommandContext): Reply {
  const m = messages(ctx.locale).llm.status;
  const status = (ctx.assistant ?? rulesAssistant).status();
  const switches = ctx.model.db.llm;
  const names = (on: boolean) =>
    Object.entries(switches.departments)
      .filter(([, v]) => v === on)
      .map(([id]) => {
        const d = ctx.model.department(id);
        return d ? departmentName(d, ctx.locale) : id;
      });
  const lines: Mrkdwn[] = [md`*${m.title}*`];
  if (!status.configured) lines.push(md`${m.notConfigured}`);
  else lines.push(md`${m.configured(status.model ?? '', status.host ?? '')}`);
  lines.push(md`${m.zone(switches.enabled)}`);
  const on = names(true);
  const off = names(false);
  const list = messages(ctx.locale).format.list;
  if (on.length) lines.push(md`${m.departmentsOn(list(on))}`);
  if (off.length) lines.push(md`${m.departmentsOff(list(off))}`);
  if (status.configured) {
    const b = status.breaker;
    lines.push(
      md`${b.state === 'closed' ? m.breakerClosed : b.state === 'open' ? m.breakerOpen(b.openUntil ? time(b.openUntil, ctx) : '', b.failures) : m.breakerHalfOpen}`,
    );
    lines.push(
      md`${m.usage(status.calls, status.cacheHits, status.failures, status.promptTokens, status.completionTokens)}`,
    );
    if (status.lastError) lines.push(md`${m.lastError(status.lastError)}`);
  }
  lines.push(md`_${m.privacy}_`);
  return ephemeral(lines, m.title);
}

export async function runLlm(args: LlmArgs, ctx: CommandContext): Promise<Reply> {
  const m = messages(ctx.locale);
  if (!args.change) return llmStatusReply(ctx);
  if (!canWrite(ctx)) return usageReply(m.admin.readOnly, m.examples.llm, ctx.locale);
  if (!ctx.isAdmin) return usageReply(m.admin.adminsOnly, m.examples.llm, ctx.locale);
  let departmentId: string | undefined;
  let scope = m.llm.zone;
  if (args.department) {
    const found = lookupDepartment(args.department, ctx, m.examples.llm, true);
    if (found.kind !== 'one')
      return found.kind === 'reply' ? found.reply : usageReply(m.admin.unknownDepartment, m.examples.llm, ctx.locale);
    departmentId = found.department.id;
    scope = departmentName(found.department, ctx.locale);
  }
  const change = args.change;
  await ctx.store.transact((tx) => {
    tx.append({
      type: 'llm',
      at: ctx.now.toISOString(),
      by: ctx.userId,
      change,
      ...(departmentId ? { departmentId } : {}),
    });
  });
  const done = change === 'on' ? m.llm.status.turnedOn(scope) : m.llm.status.turnedOff(scope);
  const configured = (ctx.assistant ?? rulesAssistant).status().configured;
  return ephemeral(
    [md`${done}`, ...(change === 'on' && !configured ? [md`${m.llm.status.unconfiguredNote}`] : [])],
    done,
  );
}

/** `/duban summary …` and `/duban llm …`, in both languages. */
export const LLM_SUBCOMMANDS: Record<string, 'summary' | 'llm'> = {
  summary: 'summary',
  digest: 'summary',
  摘要: 'summary',
  汇总: 'summary',
  llm: 'llm',
  ai: 'llm',
  模型: 'llm',
};
