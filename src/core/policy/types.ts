/**
 * The shapes that flow from the decision parser to the store and the CLI.
 * Pure data: no methods, no I/O. `duban parse --json` prints a ParsedDecision.
 */

import type { AgencyKind, CollectiveScope, DuePeriod } from '../vocabulary.js';

export type { AgencyKind, CollectiveScope };

/** One entry of config/agencies.json, after zod validation. */
export interface AgencyDefinition {
  name: string;
  aliases: string[];
  kind: AgencyKind;
  /** Only for kind 'collective'. */
  expandsTo?: CollectiveScope;
  chatId?: string;
  contactOpenId?: string;
  /** open_ids who may report for the agency besides its group's members and its contact. */
  officials?: string[];
}

/** A responsible body as the article names it. */
export interface Responsible {
  /** Canonical registry name; for an unknown body, the text as written. */
  name: string;
  /** Exactly as written in the clause. */
  written: string;
  /** False when the registry does not know this body: it stays visible, unassigned. */
  known: boolean;
  /** For a collective unit: the canonical names it stands for, in registry order. */
  members?: string[];
}

export type Comparator = '>=' | '>' | '=' | '<' | '<=';

export interface Indicator {
  metric: string;
  comparator: Comparator;
  value: number;
  unit: string;
  /** The year by which the target must be met, when the text gives one. */
  deadlineYear: number | null;
  /** For recurring targets such as "each year from 2008 for 3 years": the first year. */
  startYear?: number;
  /** True for a per-year recurring target. */
  perYear?: boolean;
  /** The sentence span the indicator was read from. */
  source: string;
}

/**
 * When an article is due, as the document writes it: a date (the last day of the period named:
 * "2023年6月底前" → 2023-06-30, "2027年" → 2027-12-31), a recurring report ("每季度"), or
 * open-ended work ("长期坚持", "持续推进").
 */
export type Due =
  | { kind: 'date'; date: string; written: string }
  | { kind: 'recurring'; every: DuePeriod; written: string }
  | { kind: 'ongoing'; written: string };

export interface ParsedPart {
  no: number;
  label: string;
  title: string;
}

export interface ParsedArticle {
  /** Integer ordinal, 1-based, in document order. */
  no: number;
  /** The number as written: "4." or "（一）". */
  label: string;
  /** The part's `no`, or 0 when the document has no parts. */
  part: number;
  title: string;
  body: string;
  /** The responsibility clause as written, or null when the article has none. */
  clause: string | null;
  leads: Responsible[];
  participants: Responsible[];
  indicators: Indicator[];
  /** From the clause, a 完成时限 cell or line, or a "…底前" deadline in the text; absent when none. */
  due?: Due;
}

export type ParseWarningCode =
  | 'unknown_agency'
  | 'no_clause'
  | 'past_deadline'
  | 'ambiguous_clause'
  | 'duplicate_article_number'
  /** A document-wide rule was applied: 列第一位为牵头单位, or a carry-forward note (以下均需…，不再列出). */
  | 'rule_applied'
  /** A deadline the parser could not turn into a date (a month with no year in the document). */
  | 'unresolved_deadline';

export interface ParseWarning {
  code: ParseWarningCode;
  /** Article ordinal the warning is about, when it is about one. */
  article?: number;
  /** The text that caused it. */
  text: string;
  /** A readable sentence (English; the CLI and bot render their own wording from code/text). */
  message: string;
}

export interface ParsedDecision {
  title: string;
  parts: ParsedPart[];
  articles: ParsedArticle[];
  warnings: ParseWarning[];
}
