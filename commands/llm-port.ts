/**
 * What duban may ask of an optional language model, in duban's own terms. The core owns this port;
 * src/llm implements it twice: with an OpenAI-compatible model, and with rules (commands/llm-digest.ts)
 * that answer every question deterministically. Everything the model says comes back as plain text or
 * validated fields with its provenance, so a reply can say who wrote it, and nothing it says can write.
 */
import type { ModelDraft } from '../src/domain/intake/index.ts';
import type { Item, ProjectState, Update } from '../src/domain/schema.ts';
import type { Locale } from '../src/i18n/index.ts';

/** Text for a reader, and who wrote it: a named model, or duban's rules. */
export type Authored = { by: 'model'; model: string } | { by: 'rules' };
export type MachineText = Authored & { text: string };

/** A long note to sum up in one line. */
export type UpdateSummaryRequest = { departmentId: string; itemName: string; note: string; locale: Locale };

/** A note the rules read as words only: the model may propose fields, which the person then confirms. */
export type NoteReadingRequest = {
  departmentId: string;
  locale: Locale;
  note: string;
  item: {
    name: string;
    kind: 'target' | 'project' | 'commitment';
    /** Targets: the unit, the latest value and the target. */
    unit?: string;
    current?: number;
    target?: number;
    milestones: Array<{ id: string; name: string }>;
  };
};

export type NoteReading = Authored & {
  /** Whether there is anything worth proposing; false when unsure, or nothing was found. */
  found: boolean;
  figure?: { mode: 'absolute' | 'increment'; value: number };
  percent?: number;
  state?: ProjectState;
  milestoneId?: string;
  blockers: string[];
  evidence: string[];
};

/** One report, as sent for a summary: people are neutral labels ("联络员A"), never Slack ids. */
export type DigestUpdate = { ref: string; item: string; date: string; by: string; text: string };

/** A department (or the zone) in facts: counts, what is behind and why, and recent notes. */
export type DigestRequest = {
  departmentId?: string;
  scope: string;
  locale: Locale;
  counts: { total: number; red: number; amber: number; green: number; done: number };
  /** "城市更新项目开工数：计划进度 91.3%，实际 75%，落后 16.3 个百分点", worst first. */
  behind: string[];
  updates: DigestUpdate[];
};

/** The bulletin in facts, worst first; the narrative says what moved, what is stuck, what needs a leader. */
export type NarrativeRequest = {
  locale: Locale;
  zone: string;
  since?: string;
  counts: { red: number; amber: number; green: number; done: number };
  better: string[];
  worse: string[];
  stuck: string[];
  overdue: string[];
};
export type Narrative = Authored & { moved: string; stuck: string; attention: string };

/** The read-only questions a model may route an @mention to; nothing else is ever run. */
export type RoutedIntent =
  | { kind: 'help' }
  | { kind: 'behind' }
  | { kind: 'overview' }
  | { kind: 'targets' }
  | { kind: 'projects' }
  | { kind: 'department'; departmentId: string; focus: 'all' | 'targets' | 'projects' }
  | { kind: 'search'; keyword: string }
  | { kind: 'unknown' };
export type RouteRequest = { question: string; locale: Locale; departments: Array<{ id: string; name: string }> };
export type Routed = Authored & { intent: RoutedIntent };

/** 立项 from minutes: the text, today, and the zone's departments by their names. */
export type IntakeRequest = {
  text: string;
  today: string;
  year: number;
  departments: Array<{ id: string; names: string[] }>;
};
/** The model's drafts, as it gave them: every field still to be checked against the text. */
export type IntakeAnswer = { model: string; drafts: ModelDraft[] };

/** A claim of done and its evidence as the office will see them: file names and link addresses, never contents. */
export type ClaimCheckRequest = {
  departmentId: string;
  locale: Locale;
  item: string;
  claim: string;
  evidence: Array<{ kind: 'file' | 'link'; url: string; name?: string }>;
};
/** The model's reading of a claim: whether it supports 办结, its concern, and the claim's own words it is about. */
export type ClaimCheck = { model: string; matches: boolean; concern?: string; quote?: string };

export type AssistantStatus = {
  configured: boolean;
  model?: string;
  /** The host of OPENAI_BASE_URL (never the key). */
  host?: string;
  breaker: { state: 'closed' | 'open' | 'half-open'; failures: number; openUntil?: string };
  calls: number;
  cacheHits: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  lastError?: string;
};

export type Assistant = {
  /** Whether a model may be asked about this department, or zone-wide when none is given. */
  enabled(departmentId?: string): boolean;
  summariseUpdate(req: UpdateSummaryRequest): Promise<MachineText | undefined>;
  readNote(req: NoteReadingRequest): Promise<NoteReading>;
  summarise(req: DigestRequest): Promise<MachineText>;
  narrate(req: NarrativeRequest): Promise<Narrative>;
  route(req: RouteRequest): Promise<Routed>;
  /** Drafts commitments from minutes; undefined when rules must draft (off, failing, invalid answer). */
  draftIntake?(req: IntakeRequest): Promise<IntakeAnswer | undefined>;
  /**
   * Called once an update is on disk, and again with its new text once an edit is. Returns at once: a
   * long note's summary is written later (or never, if the model is slow or failing); a summary of a
   * text that has been edited since is never written. Nothing here can change the update.
   */
  /** Whether a claim of done is borne out by its evidence; undefined when off, failing or invalid (the review request stays as posted). */
  checkClaim?(req: ClaimCheckRequest): Promise<ClaimCheck | undefined>;
  updateLogged(update: Update, item: Item): void;
  status(): AssistantStatus;
};
