/** The policy core in one import: the parser, the registry and their data shapes. */
export { findPastDeadlines, readDue } from './deadlines.js';
export { extractIndicators } from './indicators.js';
export { MAX_DECISION_BYTES, type ParseDecisionInput, parseDecision } from './parse.js';
export { type AgencyRegistry, createAgencyRegistry, normalizeAgencyName } from './registry.js';
export type * from './types.js';
