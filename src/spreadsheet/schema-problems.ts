/**
 * What the data model's checks found, in the reader's words: zod issues by their structure (code,
 * origin, format, pattern, bounds) and reference problems by their code and ids. The English
 * messages of src/domain/schema.ts are never read here, so rewording them changes no import problem.
 */
import type { z } from 'zod';
import { type CustomIssueCode, ID_PATTERNS, type ReferenceCode, type ReferenceProblem } from '../domain/schema.ts';
import { type Bilingual, worded } from './problems.ts';

type IdKind = keyof typeof ID_PATTERNS;
/** zod reports a failed regex by its source text ("/^…$/"): which kind of id each one is. */
const PATTERN_KINDS = new Map<string, IdKind>(
  Object.entries(ID_PATTERNS).map(([kind, re]) => [re.toString(), kind as IdKind]),
);

function shownValue(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
}

function customCode(issue: z.core.$ZodIssueCustom): CustomIssueCode | undefined {
  const code: unknown = issue.params?.code;
  return code === 'start_after_end' ? code : undefined;
}

/** A zod issue about `value` (the value at the issue's path) in words, Chinese and English. */
export function describeIssue(issue: z.core.$ZodIssue, value: unknown): Bilingual {
  const shown = shownValue(value);
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? worded((m) => m.required) : worded((m, q) => m.wrongType(q(shown)));
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string' && typeof value === 'string') return worded((m) => m.tooLong(value.length, max));
      return worded((m, q) => m.atMost(max, q(shown)));
    }
    case 'too_small': {
      if (issue.origin === 'string') return worded((m) => m.notEmpty);
      const min = String(issue.minimum);
      return issue.inclusive === false
        ? worded((m, q) => m.moreThan(min, q(shown)))
        : worded((m, q) => m.atLeast(min, q(shown)));
    }
    case 'invalid_format': {
      const kind =
        issue.format === 'regex' && issue.pattern !== undefined ? PATTERN_KINDS.get(issue.pattern) : undefined;
      if (kind === 'id') return worded((m, q) => m.badId(q(shown)));
      if (kind === 'slackUserId') return worded((m, q) => m.notSlackUser(q(shown)));
      if (kind === 'slackChannelId') return worded((m, q) => m.notSlackChannel(q(shown)));
      if (issue.format === 'url') return worded((m, q) => m.notLink(q(shown)));
      return worded((m, q) => m.wrongFormat(q(shown)));
    }
    case 'invalid_value':
      return worded((m, q) => m.notAccepted(q(shown)));
    case 'custom':
      if (customCode(issue) === 'start_after_end') return worded((m) => m.startAfterEnd);
      return worded((m, q) => m.notValid(q(shown)));
    default:
      return worded((m, q) => m.notValid(q(shown)));
  }
}

/** A reference problem in words, Chinese and English, from its code and ids. */
export function describeReference(problem: ReferenceProblem): Bilingual {
  switch (problem.code) {
    case 'duplicate_department_id':
    case 'duplicate_item_id':
    case 'unknown_department':
    case 'duplicate_milestone_id':
    case 'unknown_target':
    case 'unknown_project':
    case 'duplicate_update_id':
    case 'unknown_item': {
      const { code, params } = problem;
      return worded((m) => m.reference[code](params.id));
    }
    case 'target_equals_baseline':
    case 'checkpoint_outside_period':
    case 'checkpoints_out_of_order': {
      const { code } = problem;
      return worded((m) => m.reference[code]);
    }
    case 'unknown_milestone': {
      const { id, milestoneId } = problem.params;
      return worded((m) => m.reference.unknown_milestone(id, milestoneId));
    }
    case 'amber_above_red': {
      const { amber, red } = problem.params;
      return worded((m) => m.reference.amber_above_red(String(amber), String(red)));
    }
    default:
      return unreachable(problem);
  }
}

function unreachable(problem: never): never {
  throw new Error(`no words for the reference problem ${JSON.stringify(problem)}`);
}

/** Problems about one id reused: reported even where the cell already has a problem of its own. */
const DUPLICATE_CODES: ReadonlySet<ReferenceCode> = new Set([
  'duplicate_department_id',
  'duplicate_item_id',
  'duplicate_milestone_id',
  'duplicate_update_id',
]);

export function isDuplicate(problem: ReferenceProblem): boolean {
  return DUPLICATE_CODES.has(problem.code);
}

/** The id of the record a problem says is missing (or has no such milestone), if it is about one. */
export function referredId(problem: ReferenceProblem): string | undefined {
  switch (problem.code) {
    case 'unknown_department':
    case 'unknown_target':
    case 'unknown_project':
    case 'unknown_item':
    case 'unknown_milestone':
      return problem.params.id;
    default:
      return undefined;
  }
}
