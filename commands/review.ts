/**
 * Review and close (复核 → 销号): a department's claim of "done" counts only once the supervision
 * office approves it; it may instead be sent back with a reason. Both steps are journal events.
 */
import type { Review } from '../src/domain/journal.ts';
import type { Evidence, MessageRef } from '../src/domain/schema.ts';
import { type Locale, messages, pick } from '../src/i18n/index.ts';
import type { CommandContext, WriteContext } from './context.ts';
import { claimBlocks } from './evidence.ts';
import { departmentName } from './format.ts';
import { joinMd, md, type Reply, trusted } from './reply.ts';

export const APPROVE = 'duban.review.approve';
export const SEND_BACK = 'duban.review.return';
export const SEND_BACK_VIEW = 'duban.review.return';

/** The request the supervision office sees, with Approve and Send back buttons. */
export function reviewRequestReply(
  review: Review,
  ctx: CommandContext,
  note?: string,
  evidence: readonly Evidence[] = [],
): Reply {
  const m = messages(ctx.locale).review;
  const found = ctx.model.item(review.itemId);
  const name = found ? pick(found.item.name, ctx.locale) : review.itemId;
  const dept = found ? ctx.model.department(found.item.departmentId) : undefined;
  const lines = [
    md`*${m.requestTitle}*`,
    // The requester id was validated as a Slack user id when recorded.
    trusted(`${md`${m.request(name, dept ? departmentName(dept, ctx.locale) : '')}`.mrkdwn} <@${review.requestedBy}>`),
  ];
  return {
    text: m.request(name, dept ? departmentName(dept, ctx.locale) : ''),
    blocks: [
      { type: 'section', text: joinMd(lines) },
      // 销号 with evidence: the claim and its evidence side by side, hedging words flagged.
      ...claimBlocks(note, evidence, ctx.locale),
      {
        type: 'actions',
        buttons: [
          { text: m.approve, actionId: APPROVE, value: review.id, style: 'primary' },
          { text: m.sendBack, actionId: SEND_BACK, value: review.id, style: 'danger' },
        ],
      },
    ],
    visibility: 'in_channel',
    about: { itemIds: [review.itemId] },
  };
}

export type DecisionOutcome =
  | { kind: 'not_admin' }
  | { kind: 'gone' }
  | {
      kind: 'decided';
      review: Review;
      decision: 'approved' | 'returned';
      reason?: string;
      decidedReply: Reply;
      reporterReply: Reply;
    };

/** Records the decision once; a second click, or one on a withdrawn claim, finds it gone. */
export async function decideReview(
  reviewId: string,
  decision: 'approved' | 'returned',
  reason: string | undefined,
  ctx: WriteContext,
): Promise<DecisionOutcome> {
  if (!ctx.isAdmin) return { kind: 'not_admin' };
  const { result } = await ctx.store.transact((tx) => {
    const review = tx.state.reviews.find((r) => r.id === reviewId);
    if (!review) return { kind: 'gone' as const };
    tx.append({
      type: 'review.decide',
      at: ctx.now.toISOString(),
      by: ctx.userId,
      itemId: review.itemId,
      reviewId,
      decision,
      ...(reason ? { reason: reason.slice(0, 1000) } : {}),
    });
    return { kind: 'ok' as const, review };
  });
  if (result.kind === 'gone') return result;
  const { review } = result;
  return {
    kind: 'decided',
    review,
    decision,
    ...(reason ? { reason } : {}),
    decidedReply: decidedReply(review, decision, reason, ctx.userId, ctx),
    reporterReply: reporterReply(review, decision, reason, ctx),
  };
}

function itemName(ctx: CommandContext, itemId: string): string {
  const found = ctx.model.item(itemId);
  return found ? pick(found.item.name, ctx.locale) : itemId;
}

function decidedReply(
  review: Review,
  decision: 'approved' | 'returned',
  reason: string | undefined,
  by: string,
  ctx: CommandContext,
): Reply {
  const m = messages(ctx.locale).review;
  const name = itemName(ctx, review.itemId);
  const line = decision === 'approved' ? m.approvedBy(name) : m.returnedBy(name, reason ?? '');
  return {
    text: line,
    blocks: [
      { type: 'section', text: trusted(`${md`${decision === 'approved' ? '✅' : '↩️'} ${line}`.mrkdwn} <@${by}>`) },
    ],
    visibility: 'in_channel',
  };
}

function reporterReply(
  review: Review,
  decision: 'approved' | 'returned',
  reason: string | undefined,
  ctx: CommandContext,
): Reply {
  const m = messages(ctx.locale).review;
  const name = itemName(ctx, review.itemId);
  const line = decision === 'approved' ? m.approvedNotice(name) : m.returnedNotice(name, reason ?? '');
  return {
    text: line,
    blocks: [{ type: 'section', text: md`${line}` }],
    visibility: 'in_channel',
    about: { itemIds: [review.itemId] },
  };
}

/** Where a review request is sent: the supervision channel, or each admin directly. */
export function reviewDestinations(ctx: CommandContext, adminIds: readonly string[]): string[] {
  const channel = ctx.model.db.settings.supervisionChannelId;
  return channel ? [channel] : [...adminIds];
}

export type ReviewMessage = { review: Review; message: MessageRef };
export type { Locale };
