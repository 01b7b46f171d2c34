/**
 * The data model. These zod schemas are the single source of truth: types are inferred from them,
 * the store validates against them, and docs/data-format.schema.json is generated from them.
 */
import { z } from 'zod';

/**
 * The version of the whole-document format: import files, `duban export --json` documents and the
 * document a version-1 store file held. The store's own files have versions of their own (the hot
 * document's STATE_VERSION in state.ts, the journal chunks' in src/store/journal-files.ts).
 */
export const FORMAT_VERSION = 1;

/**
 * What a custom zod issue of these schemas carries besides its English message: a code that says
 * which rule failed, for messages in the reader's language (the English message is for logs and the
 * store's own reports, and may be reworded).
 */
export type CustomIssueCode = 'start_after_end';
export type CustomIssueParams = { code: CustomIssueCode };

/**
 * The patterns of the ids a person types. Exported so that a message about a value that does not
 * match can say which kind of id was expected by the pattern itself, never by the wording below.
 */
export const ID_PATTERNS = {
  id: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  slackUserId: /^[UW][A-Z0-9]{2,}$/,
  slackChannelId: /^[CGD][A-Z0-9]{2,}$/,
} as const;

export const Id = z
  .string()
  .regex(ID_PATTERNS.id, 'letters, digits, ".", "_" or "-", at most 64')
  .describe('Stable identifier, unique within its kind; items (targets, projects, commitments) share one namespace');
export const IsoDate = z.iso.date().describe("Calendar date, YYYY-MM-DD, in the zone's time zone");
export const IsoDateTime = z.iso.datetime({ offset: true }).describe('Instant, ISO 8601 with offset');
export const SlackUserId = z.string().regex(ID_PATTERNS.slackUserId, 'a Slack user id such as U012ABCDEF');
export const SlackChannelId = z.string().regex(ID_PATTERNS.slackChannelId, 'a Slack channel id such as C012ABCDEF');

export const Text = z
  .object({
    zh: z.string().min(1).max(200),
    en: z.string().min(1).max(200).optional(),
  })
  .describe('Text in Chinese, with an optional English rendering');

/** Marks records whose names or figures are not from the source article. */
const sampleFlag = z.boolean().optional().describe('true when names or figures in this record are sample data');
const sourceQuote = z
  .string()
  .max(500)
  .optional()
  .describe('The phrase of the work-meeting article this record models');

export const Period = z.object({ start: IsoDate, end: IsoDate }).refine((p) => p.start <= p.end, {
  message: 'start must not be after end',
  params: { code: 'start_after_end' } satisfies CustomIssueParams,
});

export const Cadence = z.enum(['weekly', 'monthly', 'quarterly', 'none']);
export const Reporting = z.object({
  cadence: Cadence.default('monthly'),
  graceDays: z
    .number()
    .int()
    .min(0)
    .max(60)
    .default(5)
    .describe(
      "Working days (mainland China, with the admins' own days off and make-up days) after a reporting period ends before its report counts as missing",
    ),
});

export const Milestone = z.object({
  id: Id,
  name: Text,
  due: IsoDate,
  departmentId: Id.optional().describe(
    "A sub-task's own department (one of the item's lead or supporting departments); unset: the item's lead",
  ),
});

const itemBase = {
  id: Id,
  departmentId: Id.describe('Owner (牵头单位)'),
  coDepartmentIds: z.array(Id).default([]).describe('Supporting departments (配合单位)'),
  name: Text,
  category: Text.optional(),
  tags: z.array(z.string().min(1).max(40)).default([]),
  period: Period,
  reporting: Reporting.default({ cadence: 'monthly', graceDays: 5 }),
  sample: sampleFlag,
  source: sourceQuote,
};

export const Checkpoint = z.object({
  date: IsoDate,
  share: z.number().gt(0).max(1).describe('Share of the way from baseline to target expected by the end of this date'),
});

export const CumulativeTarget = z.object({
  ...itemBase,
  kind: z.literal('cumulative').describe('A count or amount that ramps from baseline to target over the period'),
  unit: Text,
  baseline: z.number().default(0),
  target: z.number(),
  checkpoints: z
    .array(Checkpoint)
    .default([])
    .describe('Expected shares by date (e.g. Q1/H1/Q3); empty means linear over the period'),
});

export const LevelTarget = z.object({
  ...itemBase,
  kind: z.literal('level').describe('A rate or level that must hold all year, compared directly with the target'),
  unit: Text,
  target: z.number(),
  comparator: z.enum(['atLeast', 'atMost']).default('atLeast'),
  tolerance: z.number().min(0).default(0).describe("Width of the amber band, in the target's unit"),
});

export const Target = z.discriminatedUnion('kind', [CumulativeTarget, LevelTarget]);

export const ProjectState = z.enum(['planned', 'in_progress', 'blocked', 'delayed', 'done']);

export const Project = z.object({
  ...itemBase,
  milestones: z.array(Milestone).default([]),
});

export const MessageRef = z
  .object({
    channel: SlackChannelId,
    ts: z.string().regex(/^\d+\.\d+$/),
    threadTs: z
      .string()
      .regex(/^\d+\.\d+$/)
      .optional(),
  })
  .describe('A Slack message (and the thread it is in)');

/** 特急 / 急 / 一般: how soon reminders about an assigned item start, and how often they come. */
export const Urgency = z.enum(['urgent', 'pressing', 'normal']);
/** Where an assigned item came from: a leader's instruction (批示), a meeting decision (会议议定事项), or other. */
export const AssignmentSource = z.enum(['instruction', 'meeting', 'other']);

export const Assignment = z
  .object({
    source: AssignmentSource,
    urgency: Urgency.default('normal'),
    by: z.string().min(1).max(64).describe('Who assigned it (交办): a Slack user id, or "import"'),
    at: IsoDateTime,
    link: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .describe('A link to the source message or document'),
    message: MessageRef.optional().describe('The Slack message it was drawn from'),
    quote: z.string().max(2000).optional().describe('The words of the instruction or minutes it was drawn from'),
  })
  .describe("How an item was assigned (交办) during the year, apart from the work meeting's targets");

export const Commitment = z.object({
  ...itemBase,
  pledge: Text.describe('What the department pledged, as said'),
  targetIds: z.array(Id).default([]),
  projectIds: z.array(Id).default([]),
  milestones: z.array(Milestone).default([]),
  assignment: Assignment.optional(),
});

export const Department = z.object({
  id: Id,
  name: Text,
  shortName: z
    .object({ zh: z.string().min(1).max(40).optional(), en: z.string().min(1).max(40).optional() })
    .default({}),
  aliases: z.array(z.string().min(1).max(80)).default([]),
  channelId: SlackChannelId.optional(),
  memberIds: z.array(SlackUserId).default([]),
  leadIds: z.array(SlackUserId).default([]),
  /** False for an office that supervises the others (督查室): its items are listed and counted, but it is not ranked among them. */
  ranked: z
    .boolean()
    .optional()
    .describe('false for the office that supervises the others: listed, not ranked (default true)'),
  sample: sampleFlag,
  source: sourceQuote,
});

export const UpdateSource = z.enum(['seed', 'import', 'slack', 'command', 'form', 'console']);

export const Evidence = z
  .object({
    kind: z.enum(['file', 'link']),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    name: z.string().max(200).optional(),
    fileId: z
      .string()
      .regex(/^F[A-Z0-9]{2,}$/)
      .optional(),
  })
  .describe('Supporting evidence (佐证): a Slack file or a link');

export const Update = z
  .object({
    id: Id,
    itemId: Id,
    at: IsoDateTime,
    by: z.string().min(1).max(64).describe('Slack user id, or a label such as "seed"'),
    value: z.number().optional().describe('Absolute value after this update (targets)'),
    percent: z.number().min(0).max(100).optional().describe('Percent done (projects, commitments)'),
    state: ProjectState.optional(),
    milestoneId: Id.optional().describe('With state "done": this milestone was reached'),
    note: z.string().max(4000).optional(),
    evidence: z.array(Evidence).max(20).default([]),
    source: UpdateSource.default('slack'),
    message: MessageRef.optional().describe('The Slack message this update was read from (for edits and deletions)'),
    reviewId: Id.optional().describe('With state "done": the claim awaits this review (复核) before it counts'),
    evidenceWaived: z
      .boolean()
      .optional()
      .describe('With state "done": an admin closed it (销号) without the evidence it needed'),
    sample: sampleFlag,
  })
  .describe('One progress report; the history is append-only');

export const Exemption = z.object({
  itemId: Id,
  reason: z.string().min(1).max(500),
  by: z.string().min(1).max(64),
  at: IsoDateTime,
});

export const EscalationLevel = z.object({
  after: z.number().int().min(1).max(20).describe('Consecutive reminders without an update before this level'),
  notify: z.array(z.enum(['leads', 'supervision', 'admins'])).min(1),
});

/** A wall-clock time in the zone, 00:00–23:59. */
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time written as 18:00');

export const ScheduleSettings = z.object({
  reminders: z
    .string()
    .max(100)
    .default('0 9 * * 1')
    .describe('Cron pattern of reminder runs, in the zone (default Monday 09:00)'),
  bulletin: z
    .string()
    .max(100)
    .default('0 16 * * 5')
    .describe('Cron pattern of the progress bulletin (default Friday 16:00)'),
  graceHours: z
    .number()
    .min(0)
    .max(24 * 14)
    .default(24)
    .describe('A run missed while duban was down is caught up if no older than this'),
  escalation: z
    .array(EscalationLevel)
    .max(5)
    .default([
      { after: 2, notify: ['leads', 'supervision'] },
      { after: 4, notify: ['admins'] },
    ]),
  headsUpWorkdays: z
    .number()
    .int()
    .min(0)
    .max(20)
    .default(3)
    .describe('Working days before a milestone or report is due that a heads-up goes out'),
  bulletinChannelId: SlackChannelId.optional().describe(
    'Where the bulletin is posted (default: the supervision channel)',
  ),
  holidays: z.array(IsoDate).max(200).default([]).describe('Extra days off, added by hand'),
  workdays: z.array(IsoDate).max(200).default([]).describe('Extra working days (make-up days), added by hand'),
  recentUpdateWorkdays: z
    .number()
    .int()
    .min(0)
    .max(20)
    .default(2)
    .describe('No reminder about an item updated within this many working days (0: remind regardless)'),
  quietFrom: LocalTime.default('18:00').describe('Quiet hours start (zone time): nothing is sent until quietUntil'),
  quietUntil: LocalTime.default('09:00').describe(
    'Quiet hours end (zone time): a run deferred by quiet hours, a weekend or a holiday is sent then, on a working day; equal to quietFrom: no quiet hours',
  ),
  escalationGraceWorkdays: z
    .number()
    .int()
    .min(0)
    .max(20)
    .default(2)
    .describe('Working days at least between an escalation step and the step before it for the same items'),
  weeklyCap: z
    .number()
    .int()
    .min(0)
    .max(50)
    .default(3)
    .describe('Messages at most per department per week (0: no cap); urgent (特急) items pass it'),
  bulletinApproval: z
    .boolean()
    .default(true)
    .describe(
      'The scheduled bulletin is posted as a preview for an admin to approve (批准发布) before it is published',
    ),
});

export const Settings = z.object({
  amberGapPoints: z
    .number()
    .min(0)
    .max(100)
    .default(10)
    .describe('Percentage points behind plan at which an item turns amber'),
  redGapPoints: z
    .number()
    .min(0)
    .max(100)
    .default(30)
    .describe('Percentage points behind plan at which an item turns red'),
  dueSoonDays: z.number().int().min(0).max(90).default(14).describe('A milestone due within this many days is amber'),
  supervisionChannelId: SlackChannelId.optional().describe(
    'Where review requests (复核) and escalations go; admins are messaged directly when unset',
  ),
  schedule: ScheduleSettings.default(() => ScheduleSettings.parse({})),
  assigners: z
    .enum(['admins', 'admins_and_leads'])
    .default('admins')
    .describe('Who may assign items (交办) from a message or /duban assign: admins only, or department leads too'),
  signWithinWorkdays: z
    .number()
    .int()
    .min(0)
    .max(30)
    .default(2)
    .describe('Working days an assigned item may stay unsigned (签收) before it is shown as not signed'),
  evidenceRequired: z
    .enum(['assigned', 'all', 'none'])
    .default('assigned')
    .describe(
      'Which claims of done (销号) need evidence (佐证, a file or link): assigned commitments (交办), all items, or none',
    ),
  leaderIds: z
    .array(SlackUserId)
    .max(200)
    .default([])
    .describe('Leaders (领导): App Home shows them the ranking chart, the top risks and targets forecast to miss'),
  documents: z
    .object({
      templates: z
        .object({
          title: z
            .object({
              notice: z.string().min(1).max(60).optional(),
              supervision: z.string().min(1).max(60).optional(),
              letter: z.string().min(1).max(60).optional(),
            })
            .default({}),
          body: z.string().min(1).max(1000).optional(),
          requirement: z.string().min(1).max(500).optional(),
        })
        .default({ title: {} }),
    })
    .optional()
    .describe('The wording of the 督办单 ladder (提示单, 督办单, 督办函); unset fields use the default wording'),
});

export const Meta = z.object({
  zone: Text.default({ zh: '开发区', en: 'Development Zone' }),
  year: z.number().int().min(2000).max(2100).optional(),
  sampleNotice: z.string().max(1000).optional(),
});

/** What the zone defines (everything but the history): shared by the data format and the store's document. */
export const definitionFields = {
  meta: Meta.default({ zone: { zh: '开发区', en: 'Development Zone' } }),
  settings: Settings.default(() => Settings.parse({})),
  departments: z.array(Department).default([]),
  targets: z.array(Target).default([]),
  projects: z.array(Project).default([]),
  commitments: z.array(Commitment).default([]),
  exemptions: z.array(Exemption).default([]),
};

const collections = { ...definitionFields, updates: z.array(Update).default([]) };

/**
 * What each reference problem says, as data: its code and the ids it is about. Messages for people
 * are worded from these (src/i18n); `message` is the English of the store's own error reports.
 */
export type ReferenceParams = {
  duplicate_department_id: { id: string };
  duplicate_item_id: { id: string };
  unknown_department: { id: string };
  duplicate_milestone_id: { id: string };
  target_equals_baseline: Record<string, never>;
  checkpoint_outside_period: { date: string };
  checkpoints_out_of_order: { date: string };
  unknown_target: { id: string };
  unknown_project: { id: string };
  duplicate_update_id: { id: string };
  unknown_item: { id: string };
  unknown_milestone: { id: string; milestoneId: string };
  amber_above_red: { amber: number; red: number };
};
export type ReferenceCode = keyof ReferenceParams;

/** Every reference code, for tables and tests that must cover them all. */
export const REFERENCE_CODES = [
  'duplicate_department_id',
  'duplicate_item_id',
  'unknown_department',
  'duplicate_milestone_id',
  'target_equals_baseline',
  'checkpoint_outside_period',
  'checkpoints_out_of_order',
  'unknown_target',
  'unknown_project',
  'duplicate_update_id',
  'unknown_item',
  'unknown_milestone',
  'amber_above_red',
] as const satisfies readonly ReferenceCode[];

export type ReferenceProblem = {
  [C in ReferenceCode]: { path: PropertyKey[]; message: string; code: C; params: ReferenceParams[C] };
}[ReferenceCode];

/** Referential checks shared by the store document and import files. */
export function findReferenceProblems(doc: {
  departments: Department[];
  targets: Target[];
  projects: Project[];
  commitments: Commitment[];
  updates: Update[];
  exemptions: Exemption[];
  settings?: Settings;
}): ReferenceProblem[] {
  const issues: ReferenceProblem[] = [];
  const deptIds = new Set<string>();
  doc.departments.forEach((d, i) => {
    if (deptIds.has(d.id))
      issues.push({
        path: ['departments', i, 'id'],
        message: `duplicate department id "${d.id}"`,
        code: 'duplicate_department_id',
        params: { id: d.id },
      });
    deptIds.add(d.id);
  });
  const itemIds = new Map<string, { kind: string; milestones: Set<string> }>();
  const checkItem = (
    kind: 'targets' | 'projects' | 'commitments',
    item: { id: string; departmentId: string; coDepartmentIds: string[]; period: Period },
    i: number,
    milestones: Milestone[] = [],
  ) => {
    if (itemIds.has(item.id))
      issues.push({
        path: [kind, i, 'id'],
        message: `duplicate item id "${item.id}" (ids are shared by targets, projects and commitments)`,
        code: 'duplicate_item_id',
        params: { id: item.id },
      });
    itemIds.set(item.id, { kind, milestones: new Set(milestones.map((m) => m.id)) });
    if (!deptIds.has(item.departmentId))
      issues.push({
        path: [kind, i, 'departmentId'],
        message: `unknown department "${item.departmentId}"`,
        code: 'unknown_department',
        params: { id: item.departmentId },
      });
    item.coDepartmentIds.forEach((c, j) => {
      if (!deptIds.has(c))
        issues.push({
          path: [kind, i, 'coDepartmentIds', j],
          message: `unknown department "${c}"`,
          code: 'unknown_department',
          params: { id: c },
        });
    });
    const seen = new Set<string>();
    milestones.forEach((m, j) => {
      if (seen.has(m.id))
        issues.push({
          path: [kind, i, 'milestones', j, 'id'],
          message: `duplicate milestone id "${m.id}"`,
          code: 'duplicate_milestone_id',
          params: { id: m.id },
        });
      seen.add(m.id);
      if (m.departmentId !== undefined && !deptIds.has(m.departmentId))
        issues.push({
          path: [kind, i, 'milestones', j, 'departmentId'],
          message: `unknown department "${m.departmentId}"`,
          code: 'unknown_department',
          params: { id: m.departmentId },
        });
    });
  };
  doc.targets.forEach((t, i) => {
    checkItem('targets', t, i);
    if (t.kind === 'cumulative') {
      if (t.target === t.baseline)
        issues.push({
          path: ['targets', i, 'target'],
          message: 'target must differ from baseline',
          code: 'target_equals_baseline',
          params: {},
        });
      let last = '';
      t.checkpoints.forEach((c, j) => {
        if (c.date < t.period.start || c.date > t.period.end)
          issues.push({
            path: ['targets', i, 'checkpoints', j, 'date'],
            message: 'checkpoint outside the period',
            code: 'checkpoint_outside_period',
            params: { date: c.date },
          });
        if (c.date <= last)
          issues.push({
            path: ['targets', i, 'checkpoints', j, 'date'],
            message: 'checkpoints must be in date order',
            code: 'checkpoints_out_of_order',
            params: { date: c.date },
          });
        last = c.date;
      });
    }
  });
  doc.projects.forEach((p, i) => checkItem('projects', p, i, p.milestones));
  doc.commitments.forEach((c, i) => checkItem('commitments', c, i, c.milestones));
  doc.commitments.forEach((c, i) => {
    c.targetIds.forEach((t, j) => {
      if (itemIds.get(t)?.kind !== 'targets')
        issues.push({
          path: ['commitments', i, 'targetIds', j],
          message: `unknown target "${t}"`,
          code: 'unknown_target',
          params: { id: t },
        });
    });
    c.projectIds.forEach((p, j) => {
      if (itemIds.get(p)?.kind !== 'projects')
        issues.push({
          path: ['commitments', i, 'projectIds', j],
          message: `unknown project "${p}"`,
          code: 'unknown_project',
          params: { id: p },
        });
    });
  });
  const updateIds = new Set<string>();
  doc.updates.forEach((u, i) => {
    if (updateIds.has(u.id))
      issues.push({
        path: ['updates', i, 'id'],
        message: `duplicate update id "${u.id}"`,
        code: 'duplicate_update_id',
        params: { id: u.id },
      });
    updateIds.add(u.id);
    const item = itemIds.get(u.itemId);
    if (!item)
      issues.push({
        path: ['updates', i, 'itemId'],
        message: `unknown item "${u.itemId}"`,
        code: 'unknown_item',
        params: { id: u.itemId },
      });
    else if (u.milestoneId && !item.milestones.has(u.milestoneId)) {
      issues.push({
        path: ['updates', i, 'milestoneId'],
        message: `item "${u.itemId}" has no milestone "${u.milestoneId}"`,
        code: 'unknown_milestone',
        params: { id: u.itemId, milestoneId: u.milestoneId },
      });
    }
  });
  doc.exemptions.forEach((e, i) => {
    if (!itemIds.has(e.itemId))
      issues.push({
        path: ['exemptions', i, 'itemId'],
        message: `unknown item "${e.itemId}"`,
        code: 'unknown_item',
        params: { id: e.itemId },
      });
  });
  if (doc.settings && doc.settings.amberGapPoints > doc.settings.redGapPoints) {
    const { amberGapPoints: amber, redGapPoints: red } = doc.settings;
    issues.push({
      path: ['settings', 'amberGapPoints'],
      message: 'amber threshold must not exceed the red threshold',
      code: 'amber_above_red',
      params: { amber, red },
    });
  }
  return issues;
}

/** A reference problem as a custom zod issue: the code and the ids go in zod's `params`. */
export function referenceIssue(problem: ReferenceProblem): {
  code: 'custom';
  path: PropertyKey[];
  message: string;
  params: { code: ReferenceCode } & Record<string, unknown>;
} {
  return {
    code: 'custom',
    path: problem.path,
    message: problem.message,
    params: { ...problem.params, code: problem.code },
  };
}

export const Database = z
  .object({ version: z.literal(FORMAT_VERSION), ...collections })
  .superRefine((doc, ctx) => {
    for (const problem of findReferenceProblems(doc)) ctx.addIssue(referenceIssue(problem));
  })
  .describe('The duban store document');

/**
 * A file for `duban import`: every collection optional. Referential checks run on the merged result,
 * since an import may refer to departments already in the store.
 */
export const ImportFile = z
  .object({
    version: z.literal(FORMAT_VERSION).optional(),
    ...collections,
    meta: Meta.optional(),
    settings: Settings.optional(),
  })
  .describe('A duban import file: departments, targets, projects, commitments and optional sample history');

export type Text = z.infer<typeof Text>;
export type Period = z.infer<typeof Period>;
export type Cadence = z.infer<typeof Cadence>;
export type Milestone = z.infer<typeof Milestone>;
export type Assignment = z.infer<typeof Assignment>;
export type Urgency = z.infer<typeof Urgency>;
export type AssignmentSource = z.infer<typeof AssignmentSource>;
export type CumulativeTarget = z.infer<typeof CumulativeTarget>;
export type LevelTarget = z.infer<typeof LevelTarget>;
export type Target = z.infer<typeof Target>;
export type Project = z.infer<typeof Project>;
export type ProjectState = z.infer<typeof ProjectState>;
export type Commitment = z.infer<typeof Commitment>;
export type Department = z.infer<typeof Department>;
export type Update = z.infer<typeof Update>;
export type Evidence = z.infer<typeof Evidence>;
export type MessageRef = z.infer<typeof MessageRef>;
export type Exemption = z.infer<typeof Exemption>;
export type Settings = z.infer<typeof Settings>;
export type ScheduleSettings = z.infer<typeof ScheduleSettings>;
export type EscalationLevel = z.infer<typeof EscalationLevel>;
export type Meta = z.infer<typeof Meta>;
export type Database = z.infer<typeof Database>;
export type ImportFile = z.infer<typeof ImportFile>;
export type Item = Target | Project | Commitment;
export type ItemKind = 'target' | 'project' | 'commitment';

export function emptyDatabase(): Database {
  return Database.parse({ version: FORMAT_VERSION });
}
