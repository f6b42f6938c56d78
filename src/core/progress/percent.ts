/**
 * The one reading of a typed percent, for every way a person writes one (the card form, /report, the
 * free-text reader): 0–100 in plain decimal digits. `Number()` also reads `1e2`, `0x32`, `0b110`,
 * `+50`, `.5e2` and `-0`, none of which a person means as a percent, so they are refused with a reason.
 */
import type { MessageKey } from '../render/catalog.js';

export type PercentProblem = 'empty' | 'not_digits' | 'fraction' | 'above_100';

export type PercentReading =
  | { ok: true; percent: number }
  | { ok: false; problem: PercentProblem; reason: MessageKey };

const REASONS: Record<PercentProblem, MessageKey> = {
  empty: 'percent.empty',
  not_digits: 'percent.notDigits',
  fraction: 'percent.fraction',
  above_100: 'percent.above100',
};

const refuse = (problem: PercentProblem): PercentReading => ({
  ok: false,
  problem,
  reason: REASONS[problem],
});

/** Full-width digits (５０) are what Chinese input methods type: the same digits, another width. */
const toAscii = (text: string) =>
  text.replace(/[０-９]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

export function parsePercent(
  written: string,
  options: {
    /** Whether a trailing `%` or `％` may follow the digits (the form and /report allow it). */
    sign?: boolean;
  } = {},
): PercentReading {
  let text = toAscii(written.trim());
  if (options.sign === true) text = text.replace(/[%％]$/u, '').trimEnd();
  if (text === '') return refuse('empty');
  if (/^\d+$/u.test(text)) {
    // Leading zeros are still plain digits (050); the value, not the length, decides the range.
    const digits = text.replace(/^0+(?=\d)/u, '');
    return digits.length > 3 || Number(digits) > 100
      ? refuse('above_100')
      : { ok: true, percent: Number(digits) };
  }
  // 50.5, 100.0 and .5 are numbers, but a percent is a whole one.
  if (/^\d*\.\d+$|^\d+\.$/u.test(text)) return refuse('fraction');
  return refuse('not_digits');
}
