// The reply reader over 100,000 replies: the table's texts and mutations of them (punctuation dropped,
// widths swapped, words added or cut). Target: at least 20,000 replies a second on one core. Then
// 100,000 random strings, none of which may throw, and chrono-node alone measured on the table's ETAs.
import { join } from 'node:path';
import { hans } from 'chrono-node/zh/hans';
import { loadAgencyRegistryFile } from '../../src/config/agencies.js';
import { createAgencyRegistry } from '../../src/core/policy/registry.js';
import { readReply } from '../../src/core/replies/read-reply.js';
import { projectRoot } from '../../src/store/paths.js';
import { caseNow, loadReplyTable, mutate, randomString, seeded } from '../helpers/replies.js';

const REPLIES = 100_000;

export async function run(): Promise<Record<string, unknown>> {
  const registry = createAgencyRegistry(loadAgencyRegistryFile(join(projectRoot, 'config', 'agencies.json')));
  const table = loadReplyTable();
  const random = seeded(12);
  const inputs = Array.from({ length: REPLIES }, (_, i) => {
    const c = table[i % table.length]!;
    const text = i < table.length ? c.text : mutate(c.text, random);
    return { text, now: caseNow(c.now), agency: c.agency };
  });

  // Warm-up, then the timed pass: the steady cost in a running bot.
  for (let i = 0; i < 5000; i++) readReply({ ...inputs[i]!, registry });
  let high = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  for (const input of inputs) if (readReply({ ...input, registry }).confidence === 'high') high++;
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const perS = Math.round((REPLIES / ms) * 1000);
  console.log(
    `${REPLIES} replies in ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms): ${perS} replies/s, ${((ms * 1000) / REPLIES).toFixed(1)} µs each; ${high} read with high confidence; target ≥ 20000/s`,
  );

  let thrown = 0;
  const randomStarted = performance.now();
  for (let i = 0; i < REPLIES; i++) {
    const text = randomString(random);
    try {
      const reading = readReply({ text, now: caseNow('2026-03-02'), registry });
      if (reading.status !== null && reading.confidence === 'high')
        throw new Error(`sure of noise: ${JSON.stringify(text)}`);
    } catch (error) {
      thrown++;
      if (thrown <= 3) console.error(error);
    }
  }
  console.log(
    `${REPLIES} random strings in ${(performance.now() - randomStarted).toFixed(0)} ms: ${thrown} failures`,
  );
  if (thrown > 0) throw new Error(`${thrown} random strings threw or were read as a sure status`);

  // chrono-node alone on the table's expected dates: what it gets right without the added rules.
  const dated = table.filter((c) => c.expect.eta !== null);
  let chronoRight = 0;
  const chronoStarted = performance.now();
  for (const c of dated) {
    const day = caseNow(c.now);
    const reference = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 12));
    const first = hans.parse(c.text, reference, { forwardDate: true })[0];
    const got = first === undefined ? null : first.start.date().toISOString().slice(0, 10);
    if (got === c.expect.eta) chronoRight++;
  }
  const chronoUs = ((performance.now() - chronoStarted) * 1000) / dated.length;
  console.log(
    `chrono-node zh.hans alone: ${chronoRight} of ${dated.length} table ETAs right (${chronoUs.toFixed(0)} µs a call); the reader: ${dated.length} of ${dated.length}`,
  );

  return {
    per_s: perS,
    replies: REPLIES,
    ms: Math.round(ms),
    cpu_ms: Math.round(cpuMs),
    random_failures: thrown,
    chrono_alone_etas: `${chronoRight}/${dated.length}`,
  };
}
