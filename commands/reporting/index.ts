/**
 * Logging reports — the one verb for what a liaison does when they tell duban how an item stands:
 *
 * - log.ts: log one report (exactly once, only for one's own department, on disk before the reply);
 * - from-text.ts: log a report from what people write or click (thread reply, /progress, a question's answer);
 * - questions.ts: questions about a report, kept until answered;
 * - replies.ts: the reply saying what was logged and what was not;
 * - threads.ts: what a thread duban posted is about.
 *
 * Which effects follow a logged report is decided in ../effects.ts (effectsOfReport).
 */

export {
  linksAsEvidence,
  logReportAndReply,
  logReportFromAnswer,
  logReportFromText,
  logReportFromThread,
  type ReportInput,
  type ReportOutcome,
  replyOf,
  resolveItem,
} from './from-text.ts';
export { type Fields, type LogResult, logReport, type ReportToLog, whoCanReport } from './log.ts';
export { askQuestion, type TakenAnswer, takeAnswer } from './questions.ts';
export { loggedReply } from './replies.ts';
export { departmentsOfUser, rememberThread, threadCandidates } from './threads.ts';
