/**
 * 销号 with evidence, with the optional model on: the request to ask it whether a claim of done is borne
 * out by its evidence, and the review request with its reading added beside the rules' hedge flag —
 * labelled as the model's, escaped, and never a decision (the office still approves or sends back).
 */
import type { Review } from '../src/domain/journal.ts';
import type { Evidence } from '../src/domain/schema.ts';
import { messages, pick } from '../src/i18n/index.ts';
import type { CommandContext } from './context.ts';
import type { ClaimCheck, ClaimCheckRequest } from './llm-port.ts';
import { md, type Reply, type ReplyBlock } from './reply.ts';

/** What to ask about a claim sent for review; undefined when its item is gone. */
export function claimCheckRequest(
  review: Review,
  ctx: CommandContext,
  note: string | undefined,
  evidence: readonly Evidence[],
): ClaimCheckRequest | undefined {
  const found = ctx.model.item(review.itemId);
  if (!found) return undefined;
  return {
    departmentId: found.item.departmentId,
    locale: ctx.locale,
    item: pick(found.item.name, ctx.locale),
    claim: note ?? '',
    evidence: evidence.map((e) => ({ kind: e.kind, url: e.url, ...(e.name ? { name: e.name } : {}) })),
  };
}

/**
 * The review request with the model's reading, when it doubts the claim: one context line just above
 * the buttons (after the rules' flag). Undefined when it finds nothing to flag.
 */
export function withModelReading(reply: Reply, check: ClaimCheck, ctx: CommandContext): Reply | undefined {
  if (check.matches) return undefined;
  const m = messages(ctx.locale).evidence;
  const line: ReplyBlock = {
    type: 'context',
    elements: [md`${m.modelReading(check.model, check.concern ?? m.modelMismatch, check.quote)}`],
  };
  const at = reply.blocks.findIndex((b) => b.type === 'actions');
  const blocks = at < 0 ? [...reply.blocks, line] : [...reply.blocks.slice(0, at), line, ...reply.blocks.slice(at)];
  return { ...reply, blocks };
}
