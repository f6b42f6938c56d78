import { describe, expect, it } from 'vitest';
import { parsePercent } from '../../../src/core/progress/percent.js';
import { translate } from '../../../src/core/render/catalog.js';

describe('parsePercent', () => {
  it.each([
    ['0', 0],
    ['5', 5],
    ['50', 50],
    ['100', 100],
    [' 70 ', 70],
    ['050', 50],
    ['５０', 50],
  ])('reads %j as %d', (written, percent) => {
    expect(parsePercent(written)).toEqual({ ok: true, percent });
  });

  it.each([
    ['50%', 50],
    ['50％', 50],
    ['100 %', 100],
    ['０％', 0],
  ])('reads %j as %d where a percent sign is allowed', (written, percent) => {
    expect(parsePercent(written, { sign: true })).toEqual({ ok: true, percent });
  });

  it.each([
    ['1e2', 'not_digits'],
    ['0x32', 'not_digits'],
    ['0b110', 'not_digits'],
    ['0o7', 'not_digits'],
    ['+50', 'not_digits'],
    ['.5e2', 'not_digits'],
    ['-0', 'not_digits'],
    ['-5', 'not_digits'],
    ['Infinity', 'not_digits'],
    ['NaN', 'not_digits'],
    ['5 0', 'not_digits'],
    ['五十', 'not_digits'],
    ['50%', 'not_digits'],
    ['100.5', 'fraction'],
    ['50.0', 'fraction'],
    ['.5', 'fraction'],
    ['5.', 'fraction'],
    ['101', 'above_100'],
    ['1000', 'above_100'],
    ['99999999999999999999', 'above_100'],
    ['', 'empty'],
    ['  ', 'empty'],
  ])('refuses %j (%s), all of which Number() accepts or misreads', (written, problem) => {
    const read = parsePercent(written);
    expect(read).toMatchObject({ ok: false, problem });
  });

  it('refuses a percent sign where the caller does not allow one, and a sign alone', () => {
    expect(parsePercent('50%')).toMatchObject({ ok: false, problem: 'not_digits' });
    expect(parsePercent('%', { sign: true })).toMatchObject({ ok: false, problem: 'empty' });
    expect(parsePercent('50%%', { sign: true })).toMatchObject({ ok: false, problem: 'not_digits' });
  });

  it('gives each refusal a reason in the catalog that quotes what was typed', () => {
    for (const written of ['1e2', '100.5', '101', '']) {
      const read = parsePercent(written);
      if (read.ok) throw new Error('expected a refusal');
      const text = translate(read.reason, { text: written });
      expect(text).toContain('0 到 100');
      if (written !== '') expect(text).toContain(`「${written}」`);
    }
  });
});
