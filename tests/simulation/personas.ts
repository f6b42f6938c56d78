/**
 * The people of the simulated city and how they answer: a seeded PRNG gives every agency a usual
 * style (and a chance each week of doing otherwise), so a run is the same run for the same seed.
 */

import { seeded } from '../helpers/replies.js';

/** mulberry32 (the tests' one seeded PRNG): picks personas and moments. */
export const createPrng = seeded;

export const STYLES = [
  /** Fills the prompt card's form the morning it arrives. */
  'card',
  /** Taps "本周无变化". */
  'no_change',
  /** Replies in the prompt's thread in free text, then taps 确认 on the echo. */
  'free_text',
  /** Types /report. */
  'command',
  /** Answers on Thursday, after the follow-up, by card. */
  'late',
  /** First taps last week's card (refused as stale), then answers on this week's. */
  'stale_card',
  /** Never answers. */
  'never',
] as const;
export type Style = (typeof STYLES)[number];

const WEIGHTS: Record<Style, number> = {
  card: 30,
  no_change: 12,
  free_text: 18,
  command: 10,
  late: 12,
  stale_card: 8,
  never: 10,
};

export function pickStyle(random: () => number): Style {
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  let roll = random() * total;
  for (const style of STYLES) {
    roll -= WEIGHTS[style];
    if (roll < 0) return style;
  }
  return 'card';
}

/** This week's style: the agency's usual one most weeks, another now and then. */
export function styleThisWeek(usual: Style, random: () => number): Style {
  return random() < 0.75 ? usual : pickStyle(random);
}

export const pick = <T>(random: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};
