// `npm run bench -- NAME` runs tests/bench/NAME.ts; with no name, every bench in this folder.
// Each bench module exports `run(): Promise<Record<string, unknown>>`, prints its own figures,
// and the runner ends its output with the result as ONE line of JSON.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const folder = import.meta.dirname;

interface BenchModule {
  run(): Promise<Record<string, unknown>>;
}

function available(): string[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_') && !f.endsWith('.d.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();
}

async function main(): Promise<number> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const known = available();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    console.error(`Unknown bench: ${unknown.join(', ')}. Available: ${known.join(', ')}`);
    return 2;
  }
  let failed = 0;
  for (const name of names.length > 0 ? names : known) {
    const mod = (await import(pathToFileURL(join(folder, `${name}.ts`)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') {
      if (names.length > 0) {
        console.error(`tests/bench/${name}.ts does not export run()`);
        failed++;
      }
      continue;
    }
    console.log(`# bench ${name}`);
    try {
      const result = await mod.run();
      console.log(JSON.stringify({ bench: name, ...result }));
    } catch (error) {
      console.error(`bench ${name} failed:`, error);
      failed++;
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
