// The reply table, its mutations and random strings: shared by the reader's tests and its benchmark.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/store/paths.js';

export interface ReplyCase {
  now: string;
  agency?: string;
  text: string;
  expect: {
    status: string | null;
    percent: number | null;
    eta: string | null;
    blockers: string[];
    agencies: string[];
    article: number | null;
    confidence: 'high' | 'low';
  };
}

export function loadReplyTable(): ReplyCase[] {
  return JSON.parse(
    readFileSync(join(projectRoot, 'tests', 'fixtures', 'replies', 'replies.json'), 'utf8'),
  ) as ReplyCase[];
}

/** The case's day, read at 10:00 in Shanghai. */
export const caseNow = (day: string): Date => new Date(`${day}T10:00:00+08:00`);

/** A small seeded PRNG (mulberry32), so a failing random string can be found again. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/**
 * Random strings of four kinds: any code point (lone surrogates included), printable ASCII,
 * CJK ideographs, and a mix of the three with full-width forms.
 */
export function randomString(random: () => number): string {
  const length = Math.floor(random() * 40);
  const kind = Math.floor(random() * 4);
  let out = '';
  for (let i = 0; i < length; i++) {
    const k = kind === 3 ? Math.floor(random() * 4) : kind;
    if (k === 0) out += String.fromCharCode(Math.floor(random() * 0x10000));
    else if (k === 1) out += ASCII[Math.floor(random() * ASCII.length)];
    else if (k === 2) out += String.fromCharCode(0x4e00 + Math.floor(random() * 0x5200));
    else out += String.fromCharCode(0xff01 + Math.floor(random() * 0x5e));
  }
  return out;
}

const FILLER = ['经研究，', '我单位', '，特此报告', '。', ' ', '\n', '目前', '（已报分管领导）', '，谢谢'];
const WORDS = [
  '已完成',
  '完成',
  '进行中',
  '受阻',
  '尚未',
  '预计',
  '月底',
  '第',
  '条',
  '%',
  '百分之',
  '需',
  '配合',
  '市财政局',
];

/** A table text changed as people change them: punctuation dropped, widths swapped, words added or cut. */
export function mutate(text: string, random: () => number): string {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  switch (Math.floor(random() * 6)) {
    case 0:
      return text.replace(/[，。,.；;]/gu, '');
    case 1:
      return text.replace(/[0-9%]/gu, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    case 2:
      return `${pick(FILLER)}${text}${pick(FILLER)}`;
    case 3: {
      const at = Math.floor(random() * (text.length + 1));
      return `${text.slice(0, at)}${pick(WORDS)}${text.slice(at)}`;
    }
    case 4: {
      const at = Math.floor(random() * text.length);
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
    }
    default:
      return `${text}${pick(['，', ' ', ''])}${text}`;
  }
}
