/**
 * A tiny seeded mutation fuzzer (no dependency): random and mutated strings and JSON values, and a
 * runner that gives every case its own seed, so a failure prints the one number that replays it
 * (`FUZZ_REPLAY=<seed>` runs just that case). Shared by the fuzz tests and tests/bench/fuzz.ts.
 */
import { seeded } from './replies.js';

export interface Rng {
  next(): number;
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function rng(seed: number): Rng {
  const next = seeded(seed);
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]) => items[int(items.length)] as T,
  };
}

/** Characters that break naive code: CJK, emoji (surrogate pairs), controls, lone surrogates, odd spaces. */
export const HOSTILE_CHARS: readonly string[] = [
  '第',
  '条',
  '进行中',
  '已完成',
  '市财政局',
  '％',
  '５',
  '\u3000',
  '😀',
  '👨‍👩‍👧',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '\t',
  '\u007f',
  '\ud800',
  '\udfff',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\u0301',
  '\uffff',
  '@_user_1',
  '@_all',
  '/',
  '／',
  '%',
  '"',
  '\\',
  '{',
  '}',
  '__proto__',
  'constructor',
  '1e2',
  '0x32',
  '-0',
  '+50',
  '100.5',
  '9'.repeat(30),
];

const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

export function randomText(r: Rng, maxLength = 60): string {
  const length = r.int(maxLength);
  let out = '';
  for (let i = 0; i < length; i++) {
    const k = r.int(5);
    if (k === 0) out += String.fromCharCode(r.int(0x10000));
    else if (k === 1) out += ASCII[r.int(ASCII.length)];
    else if (k === 2) out += String.fromCharCode(0x4e00 + r.int(0x5200));
    else out += r.pick(HOSTILE_CHARS);
  }
  return out;
}

/** UTF-8 bytes with some bits flipped, decoded leniently as a server would: invalid sequences become U+FFFD. */
function flipBytes(r: Rng, text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return text;
  const flips = 1 + r.int(4);
  for (let i = 0; i < flips; i++) {
    const at = r.int(bytes.length);
    bytes[at] = (bytes[at] as number) ^ (1 << r.int(8));
  }
  return r.chance(0.5) ? bytes.toString('utf8') : bytes.toString('latin1');
}

/**
 * One to three mutations of `base`: bit flips in its UTF-8, a splice from another corpus text, hostile
 * characters inserted, a range deleted or repeated (sometimes thousands of times), or a truncation.
 */
export function mutateText(
  r: Rng,
  base: string,
  corpus: readonly string[] = [],
  maxLength = 200_000,
): string {
  let text = base;
  const rounds = 1 + r.int(3);
  for (let round = 0; round < rounds; round++) {
    const at = r.int(text.length + 1);
    switch (r.int(8)) {
      case 0:
        text = flipBytes(r, text);
        break;
      case 1: {
        const other = corpus.length > 0 ? r.pick(corpus) : randomText(r);
        const from = r.int(other.length + 1);
        text = text.slice(0, at) + other.slice(from, from + r.int(200)) + text.slice(at);
        break;
      }
      case 2:
      case 3: {
        let insert = '';
        for (let i = 1 + r.int(4); i > 0; i--) insert += r.pick(HOSTILE_CHARS);
        text = text.slice(0, at) + insert + text.slice(at);
        break;
      }
      case 4:
        text = text.slice(0, at) + text.slice(at + r.int(50));
        break;
      case 5: {
        const piece = text.slice(at, at + 1 + r.int(20)) || r.pick(HOSTILE_CHARS);
        const times = r.chance(0.1) ? 1000 + r.int(20_000) : 2 + r.int(20);
        text = text.slice(0, at) + piece.repeat(times) + text.slice(at);
        break;
      }
      case 6:
        text = text.slice(0, at);
        break;
      default:
        text = randomText(r);
    }
    if (text.length > maxLength) text = text.slice(0, maxLength);
  }
  return text;
}

const ODD_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  1.5,
  2_147_483_648,
  Number.MAX_SAFE_INTEGER,
  1e308,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  '',
  ' ',
  '1e2',
  '0x32',
  '-0',
  '+50',
  '100.5',
  '001',
  '99999999999',
  '__proto__',
  [],
  {},
  [1, 2],
  { action: 'report' },
];

/** A JSON value nested `depth` levels (arrays or objects): what a hostile body holds. */
export function deepJson(depth: number, leaf: unknown = 1, objects = false): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = objects ? { a: value } : [value];
  return value;
}

export function randomJson(r: Rng, depth = 0): unknown {
  const k = depth > 4 ? r.int(3) : r.int(6);
  if (k === 0) return r.pick(ODD_VALUES);
  if (k === 1) return randomText(r, 30);
  if (k === 2) return r.int(1000) - 10;
  if (k === 3) return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = r.int(5); i > 0; i--)
    out[r.chance(0.2) ? r.pick(HOSTILE_CHARS) : randomText(r, 8)] = randomJson(r, depth + 1);
  return out;
}

/** Every path to a value in a JSON tree (objects and arrays), the root included as []. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (out.length > 500) return out;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) paths(value[i], [...prefix, i], out);
  } else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

const clone = (value: unknown): unknown => (value === undefined ? undefined : structuredClone(value));

function setAt(root: unknown, path: readonly (string | number)[], make: (old: unknown) => unknown): unknown {
  if (path.length === 0) return make(root);
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  const made = make(node[last]);
  if (made === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = made;
  return root;
}

/**
 * One to three structural mutations of a JSON value: a node replaced by an odd value or a random one,
 * deleted, its string mutated, its number nudged, a key added (`__proto__` among them), or the node
 * wrapped in deep nesting. Returns a fresh value; `base` is not changed.
 */
export function mutateJson(r: Rng, base: unknown, corpus: readonly string[] = []): unknown {
  let root = clone(base);
  const rounds = 1 + r.int(3);
  for (let round = 0; round < rounds; round++) {
    const all = paths(root);
    const path = r.pick(all);
    root = setAt(root, path, (old) => {
      switch (r.int(8)) {
        case 0:
          return r.pick(ODD_VALUES);
        case 1:
          return randomJson(r);
        case 2:
          return path.length === 0 ? old : undefined;
        case 3:
          return typeof old === 'string' ? mutateText(r, old, corpus, 20_000) : randomText(r, 10);
        case 4:
          return typeof old === 'number' ? r.pick([old + 1, old - 1, -old, old * 1e6, old + 0.5]) : old;
        case 5:
          if (typeof old === 'object' && old !== null && !Array.isArray(old)) {
            const key = r.chance(0.3)
              ? r.pick(['__proto__', 'constructor', 'action', 'toString'])
              : randomText(r, 10);
            return { ...old, [key]: randomJson(r) };
          }
          return old;
        case 6:
          return deepJson(r.chance(0.2) ? 2000 + r.int(5000) : 1 + r.int(50), old, r.chance(0.5));
        default:
          return typeof old === 'number'
            ? String(old)
            : typeof old === 'string' && /^\d+$/u.test(old)
              ? Number(old)
              : old;
      }
    });
  }
  return root;
}

export interface FuzzFailure {
  target: string;
  seed: number;
  error: string;
}

export interface FuzzResult {
  target: string;
  cases: number;
  failures: FuzzFailure[];
  /** The slowest case (generation and check): a super-linear path shows here first (benchmarks only). */
  slowest: { seed: number; ms: number };
}

/** The seed of case `i` of a run started at `seed` (a Weyl step: distinct for every case). */
export const caseSeed = (seed: number, i: number): number => (seed + Math.imul(i, 0x9e3779b9)) >>> 0;

/**
 * Runs `check` on `cases` generated inputs. A case fails if `check` throws (its assertion) or the
 * generator's input makes the target throw; the failure keeps the case's seed. With FUZZ_REPLAY set,
 * runs only that seed.
 */
export async function fuzz<T>(input: {
  target: string;
  seed: number;
  cases: number;
  generate(r: Rng): T;
  check(value: T, r: Rng): void | Promise<void>;
  /** Stop after this many failures (a broken target need not be shown 100,000 times). */
  maxFailures?: number;
}): Promise<FuzzResult> {
  const replay = process.env.FUZZ_REPLAY === undefined ? undefined : Number(process.env.FUZZ_REPLAY);
  const seeds =
    replay === undefined ? Array.from({ length: input.cases }, (_, i) => caseSeed(input.seed, i)) : [replay];
  const failures: FuzzFailure[] = [];
  const slowest = { seed: 0, ms: 0 };
  for (const seed of seeds) {
    const r = rng(seed);
    const started = performance.now();
    try {
      const value = input.generate(r);
      await input.check(value, r);
      const ms = performance.now() - started;
      if (ms > slowest.ms) Object.assign(slowest, { seed, ms: Math.round(ms) });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      failures.push({ target: input.target, seed, error: message.slice(0, 500) });
      if (failures.length >= (input.maxFailures ?? 5)) break;
    }
  }
  return { target: input.target, cases: seeds.length, failures, slowest };
}

/** A failure report a person can act on: the target, the seed to replay, what went wrong. */
export function describeFailures(result: FuzzResult): string {
  return result.failures
    .map((f) => `${f.target}: case seed ${f.seed} failed (replay with FUZZ_REPLAY=${f.seed}): ${f.error}`)
    .join('\n');
}
