import nzh from 'nzh/cn';

/** The characters of a Chinese numeral as officials write them (两 as well as 二, 〇 as well as 零). */
export const CN_DIGITS = '零〇一二两三四五六七八九十百';

const SIMPLE = new Map<string, number>([
  ['零', 0],
  ['〇', 0],
  ['一', 1],
  ['二', 2],
  ['两', 2],
  ['三', 3],
  ['四', 4],
  ['五', 5],
  ['六', 6],
  ['七', 7],
  ['八', 8],
  ['九', 9],
  ['十', 10],
  ['百', 100],
]);

/**
 * `13`, `十三`, `两`, `一百` → a whole number; anything else → null. Arabic digits are read directly;
 * Chinese numerals go through nzh (which does not know 两, so it becomes 二 first).
 */
export function readNumber(written: string): number | null {
  if (written === '') return null;
  if (/^\d+$/u.test(written)) return Number(written);
  const single = written.length === 1 ? SIMPLE.get(written) : undefined;
  if (single !== undefined) return single;
  for (const ch of written) if (!CN_DIGITS.includes(ch)) return null;
  const value = Number(nzh.decodeS(written.replaceAll('两', '二').replaceAll('〇', '零')));
  return Number.isSafeInteger(value) ? value : null;
}
