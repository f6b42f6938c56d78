import { join } from 'node:path';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

/** The real rules (.dependency-cruiser.cjs) over a tree laid out like src/ under `baseDir`. */
async function violationsIn(baseDir: string | undefined): Promise<IViolation[]> {
  const options: ICruiseOptions = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
  const result = await cruise(
    ['src'],
    { ...options, validate: true, ...(baseDir === undefined ? {} : { baseDir }) },
    // The fixture is cruised as if it were the project: its packages come from the project's node_modules.
    { modules: ['node_modules', join(process.cwd(), 'node_modules')] },
    { tsConfig: extractTSConfig('tsconfig.json') },
  );
  return (result.output as ICruiseResult).summary.violations;
}

const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}`;

describe('the dependency rules', () => {
  let fixture: IViolation[];
  beforeAll(async () => {
    fixture = await violationsIn('tests/fixtures/architecture');
  });

  it('find no forbidden import in src/', async () => {
    expect((await violationsIn(undefined)).map(describeViolation)).toEqual([]);
  });

  it('report a core module that imports the store', () => {
    expect(fixture).toContainEqual(
      expect.objectContaining({
        rule: { name: 'core-imports-only-core', severity: 'error' },
        from: 'src/core/plan.ts',
        to: 'src/store/task-rows.ts',
      }),
    );
  });

  it('report a core module that reads files or opens a database', () => {
    const names = fixture.filter((v) => v.from === 'src/core/plan.ts').map((v) => [v.rule.name, v.to]);
    expect(names).toContainEqual(['core-does-no-io', 'fs']);
    expect(names).toContainEqual(['core-uses-only-pure-packages', expect.stringMatching(/drizzle-orm/)]);
    expect(names).toContainEqual(['database-lives-in-the-store', expect.stringMatching(/drizzle-orm/)]);
  });

  it('leave the fixture store alone, which imports nothing', () => {
    expect(fixture.filter((v) => v.from === 'src/store/task-rows.ts')).toEqual([]);
  });
});
