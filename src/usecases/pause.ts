/**
 * Pausing and resuming prompts: for named agencies, or for everything at once (`--all`, the global
 * pause). A pause may end on a given day (Asia/Shanghai, inclusive) or last until resumed. Every change
 * is audited with its before and after; the whole call is one transaction.
 */
import { pauseInEffect } from '../core/cycles/pause.js';
import { isLocalDate, shanghaiDate } from '../core/cycles/time.js';
import { DubanError } from '../core/errors.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import { type Locale, t } from '../core/render/catalog.js';
import type { AgencyRepository, AgencyView, PauseState } from '../store/agency-repository.js';
import type { AuditChannel, AuditSource } from '../store/audit-repository.js';
import type { SchedulerRepository } from '../store/scheduler-repository.js';
import { findAgencyOrSuggest } from './agency-lookup.js';
import { auditSource } from './audit-source.js';

export interface PauseDeps {
  repos: {
    agencies: AgencyRepository;
    scheduler: Pick<SchedulerRepository, 'globalPause' | 'setGlobalPause'>;
  };
  /** Lets a width or spacing variant of a name resolve as the registry does; optional. */
  registry?: AgencyRegistry;
}

interface TargetInput {
  /** Agency names or aliases; give these or `all`, not both. */
  agencies?: readonly string[];
  /** The global pause: every agency at once. */
  all?: boolean;
  actor: string;
  channel: AuditChannel;
  now: Date;
  /** The Lark message and event the pause came from (a chat command), for the audit trail. */
  source?: AuditSource | undefined;
}

interface PauseChange {
  /** Canonical agency name; null for the global pause. */
  agency: string | null;
  before: PauseState;
  after: PauseState;
  /** False when it already stood so (nothing written, nothing audited). */
  changed: boolean;
}

export interface PauseResult {
  action: 'pause' | 'resume';
  /** Shanghai date the call was made on. */
  today: string;
  changes: PauseChange[];
  /** After resuming agencies: whether the global pause still holds them. */
  globalPauseInEffect: boolean;
  /** After lifting the global pause: the agencies still paused on their own today. */
  agenciesStillPaused: string[];
}

function chooseTarget(input: TargetInput): { all: true } | { names: readonly string[] } {
  const names = input.agencies ?? [];
  if (input.all === true && names.length === 0) return { all: true };
  if (input.all !== true && names.length > 0) return { names };
  throw new DubanError('pause.target_required', 'Name the agencies, or ask for all of them, not both.', {
    hint: 'Use --agency NAME (once per agency), or --all.',
  });
}

function checkUntil(until: string, today: string): void {
  if (!isLocalDate(until)) {
    throw new DubanError('pause.until_malformed', `"${until}" is not a date: --until takes YYYY-MM-DD.`, {
      hint: 'Give the last paused day, e.g. --until 2026-10-08.',
      details: { until },
    });
  }
  if (until < today) {
    throw new DubanError('pause.until_past', `${until} has already passed (today is ${today} in Shanghai).`, {
      hint: 'Give today or a later day as the last paused day, or leave out --until to pause until resumed.',
      details: { until, today },
    });
  }
}

function resolveAgencies(deps: PauseDeps, names: readonly string[]): AgencyView[] {
  const resolved = new Map<number, AgencyView>();
  for (const name of names) {
    const agency = findAgencyOrSuggest(deps.repos.agencies, name, deps.registry);
    if (agency.kind === 'collective') {
      throw new DubanError(
        'pause.collective',
        `"${agency.name}" is a collective name: it stands for other agencies and is never prompted itself.`,
        {
          hint: 'Pause the agencies it stands for one by one, or use --all.',
          details: { agency: agency.name },
        },
      );
    }
    resolved.set(agency.id, agency);
  }
  return [...resolved.values()];
}

function apply(
  deps: PauseDeps,
  input: TargetInput,
  action: 'pause' | 'resume',
  until: string | null,
): PauseResult {
  const today = shanghaiDate(input.now);
  const target = chooseTarget(input);
  if (until !== null) checkUntil(until, today);
  const paused = action === 'pause';
  const ctx = {
    at: input.now.toISOString(),
    actor: input.actor,
    channel: input.channel,
    ...auditSource(input.source),
  };
  const { agencies, scheduler } = deps.repos;
  return agencies.transaction(() => {
    const changes: PauseChange[] = [];
    if ('all' in target) {
      const before = scheduler.globalPause();
      const change = scheduler.setGlobalPause({ paused, pausedUntil: until, ...ctx });
      changes.push({ agency: null, before, after: change?.after ?? before, changed: change !== null });
    } else {
      for (const agency of resolveAgencies(deps, target.names)) {
        const before = { paused: agency.paused, pausedUntil: agency.pausedUntil };
        const change = agencies.setAgencyPause({ agencyId: agency.id, paused, pausedUntil: until, ...ctx });
        changes.push({
          agency: agency.name,
          before,
          after: change?.after ?? before,
          changed: change !== null,
        });
      }
    }
    const resumedAll = !paused && 'all' in target;
    return {
      action,
      today,
      changes,
      globalPauseInEffect: !paused && !resumedAll && pauseInEffect(scheduler.globalPause(), today),
      agenciesStillPaused: resumedAll
        ? agencies
            .listAgencies()
            .filter((a) => pauseInEffect(a, today))
            .map((a) => a.name)
        : [],
    };
  });
}

/**
 * Pauses prompts for the named agencies (or all of them) until `until` (`YYYY-MM-DD`, Shanghai,
 * inclusive) or until resumed. Refuses an unknown agency (suggesting the closest), a collective, and an
 * `until` that is malformed or already past; a pause already standing so is reported unchanged.
 */
export function pauseAgencies(deps: PauseDeps, input: TargetInput & { until?: string }): PauseResult {
  return apply(deps, input, 'pause', input.until ?? null);
}

/** Resumes prompts for the named agencies, or lifts the global pause (`all`). */
export function resumeAgencies(deps: PauseDeps, input: TargetInput): PauseResult {
  return apply(deps, input, 'resume', null);
}

/** The result as lines a person reads, in the catalog's words. */
export function formatPauseResult(result: PauseResult, locale?: Locale): string {
  const lines: string[] = [];
  for (const change of result.changes) {
    const until = change.after.pausedUntil;
    if (change.agency === null) {
      if (result.action === 'pause')
        lines.push(t(change.changed ? 'pause.all.done' : 'pause.all.unchanged', { until }, locale));
      else lines.push(t(change.changed ? 'resume.all.done' : 'resume.all.unchanged', undefined, locale));
    } else {
      const params = { agency: change.agency, until };
      if (result.action === 'pause')
        lines.push(t(change.changed ? 'pause.agency.done' : 'pause.agency.unchanged', params, locale));
      else lines.push(t(change.changed ? 'resume.agency.done' : 'resume.agency.unchanged', params, locale));
    }
  }
  if (result.agenciesStillPaused.length > 0) {
    const names = result.agenciesStillPaused.join(t('pause.listSeparator', undefined, locale));
    lines.push(t('resume.stillPaused', { agencies: names }, locale));
  }
  if (result.globalPauseInEffect) lines.push(t('resume.globalStillPaused', undefined, locale));
  return lines.join('\n');
}
