import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDubanError } from '../../../src/core/errors.js';
import type { ParsedDecision } from '../../../src/core/policy/types.js';
import { defaultDecisionText, fixtureText, parse, repoPath } from './helpers.js';

/** A small seeded PRNG (mulberry32): the same documents on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '一、',
  '（一）',
  '(二)',
  '1.',
  '2、',
  '（3）',
  '第一条',
  '序号',
  '责任单位',
  '牵头单位',
  '完成时限',
  '分类',
  '：',
  ':',
  '（',
  '）',
  '(',
  ')',
  '〔',
  '〕',
  '[',
  ']',
  '、',
  '，',
  ',',
  '；',
  '。',
  '\n',
  '\n',
  '\t',
  ' ',
  '牵头',
  '负责',
  '配合',
  '参与',
  '分别',
  '按职责分工',
  '等有关部门和单位',
  '列第一位为牵头单位，下同',
  '以下均需',
  '不再列出',
  '由',
  '会同',
  '市甲局',
  '乙委',
  '各县(市、区)政府',
  '各乡镇（街道）',
  '2023年6月底前',
  '年底前',
  '每季度',
  '长期坚持',
  '增长6%以上',
  '不少于200名',
  '推进工作',
  '加强',
];

function randomDocument(next: () => number): string {
  const length = 5 + Math.floor(next() * 200);
  let out = '';
  for (let i = 0; i < length; i++) out += TOKENS[Math.floor(next() * TOKENS.length)];
  return out;
}

function mutate(text: string, next: () => number): string {
  let out = text;
  const rounds = 1 + Math.floor(next() * 6);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(next() * (out.length + 1));
    const span = Math.floor(next() * 80);
    switch (Math.floor(next() * 5)) {
      case 0: // delete a span
        out = out.slice(0, at) + out.slice(at + span);
        break;
      case 1: // insert tokens
        out = out.slice(0, at) + randomDocument(next).slice(0, span + 1) + out.slice(at);
        break;
      case 2: {
        // duplicate a span somewhere else
        const piece = out.slice(at, at + span);
        const to = Math.floor(next() * (out.length + 1));
        out = out.slice(0, to) + piece + out.slice(to);
        break;
      }
      case 3: // swap full-width and half-width brackets and colons
        out = out.replace(/[（）：]/gu, (c) => ({ '（': '(', '）': ')', '：': ':' })[c] ?? c);
        break;
      default: {
        // shuffle two lines
        const lines = out.split('\n');
        const a = Math.floor(next() * lines.length);
        const b = Math.floor(next() * lines.length);
        [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
        out = lines.join('\n');
      }
    }
  }
  return out;
}

/** Parses, allowing only the parser's own coded refusals (empty text, no items). */
function tryParse(text: string): ParsedDecision | null {
  try {
    return parse(text);
  } catch (error) {
    if (isDubanError(error) && error.code.startsWith('policy.')) return null;
    throw error;
  }
}

const squash = (s: string): string => s.normalize('NFKC').replace(/\s+/gu, '');

function expectNamesFromText(decision: ParsedDecision, text: string): void {
  const haystack = squash(text);
  for (const article of decision.articles) {
    for (const r of [...article.leads, ...article.participants]) {
      expect(r.written.trim()).not.toBe('');
      expect(haystack.includes(squash(r.written)), `"${r.written}" is not in the text`).toBe(true);
    }
  }
}

const realFixtures = readdirSync(repoPath('tests/fixtures/decisions/real')).map((f) =>
  fixtureText(`real/${f}`),
);
const seeds = [defaultDecisionText(), ...realFixtures];

describe('random and mutated documents', () => {
  it('never throw anything but a coded refusal, and name only units written in the text (random)', () => {
    const next = prng(20230611);
    for (let i = 0; i < 300; i++) {
      const text = randomDocument(next);
      const decision = tryParse(text);
      if (decision !== null) expectNamesFromText(decision, text);
    }
  });

  it('never throw anything but a coded refusal, and name only units written in the text (mutated)', () => {
    const next = prng(42);
    for (let i = 0; i < 200; i++) {
      const seed = seeds[i % seeds.length] ?? '';
      const text = mutate(seed, next);
      const decision = tryParse(text);
      if (decision !== null) expectNamesFromText(decision, text);
    }
  });
});
