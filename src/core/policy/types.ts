/**
 * The shapes that flow from the decision parser to the store and the CLI.
 * Pure data: no methods, no I/O. `duban parse --json` prints a ParsedDecision.
 */

import type { AgencyKind, CollectiveScope } from '../vocabulary.js';

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
}

export type ParseWarningCode =
  | 'unknown_agency'
  | 'no_clause'
  | 'past_deadline'
  | 'ambiguous_clause'
  | 'duplicate_article_number';

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
