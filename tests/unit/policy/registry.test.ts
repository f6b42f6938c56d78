import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAgencyRegistryFile, parseAgencyRegistry } from '../../../src/config/agencies.js';
import { isDubanError } from '../../../src/core/errors.js';
import { createAgencyRegistry } from '../../../src/core/policy/registry.js';
import type { AgencyDefinition } from '../../../src/core/policy/types.js';
import { repoPath, shippedRegistry } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'duban-agencies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function writeRegistry(content: unknown): string {
  fileNo++;
  const path = join(dir, `agencies-${fileNo}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function loadError(path: string): { code: string; message: string } {
  try {
    loadAgencyRegistryFile(path);
  } catch (error) {
    if (isDubanError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the registry to be rejected');
}

const dept = (name: string, aliases: string[] = []) => ({ name, aliases, kind: 'department' });

describe('createAgencyRegistry', () => {
  const defs: AgencyDefinition[] = [
    { name: '市科技局', aliases: ['广州市科学技术局'], kind: 'department' },
    { name: '广州海关', aliases: [], kind: 'external' },
    { name: '越秀区', aliases: [], kind: 'district' },
    { name: '市财政局', aliases: [], kind: 'department' },
    { name: '各有关单位', aliases: [], kind: 'collective', expandsTo: 'all' },
    { name: '市各有关部门', aliases: [], kind: 'collective', expandsTo: 'departments' },
    { name: '有关区', aliases: ['各区（县级市）'], kind: 'collective', expandsTo: 'districts' },
  ];
  const registry = createAgencyRegistry(defs);

  it('resolves canonical names and aliases, keeping the written form', () => {
    expect(registry.resolve('广州市科学技术局')).toEqual({
      name: '市科技局',
      written: '广州市科学技术局',
      known: true,
    });
    expect(registry.resolve('市科技局')).toEqual({ name: '市科技局', written: '市科技局', known: true });
  });

  it('tolerates spaces and full-width/half-width variants', () => {
    expect(registry.resolve(' 市 科技局 ').name).toBe('市科技局');
    expect(registry.resolve('各区(县级市)')).toMatchObject({
      name: '有关区',
      written: '各区(县级市)',
      known: true,
    });
    expect(registry.byName('市科技局\u3000')?.kind).toBe('department');
  });

  it('expands collectives to canonical names in registry order', () => {
    expect(registry.resolve('各有关单位').members).toEqual(['市科技局', '广州海关', '越秀区', '市财政局']);
    expect(registry.resolve('市各有关部门').members).toEqual(['市科技局', '市财政局']);
    expect(registry.resolve('有关区').members).toEqual(['越秀区']);
  });

  it('returns an unknown name as unknown instead of inventing an agency', () => {
    expect(registry.resolve('市旅游局')).toEqual({ name: '市旅游局', written: '市旅游局', known: false });
    expect(registry.byName('市旅游局')).toBeUndefined();
    expect(registry.all()).toHaveLength(defs.length);
  });
});

describe('config/agencies.json', () => {
  const registry = shippedRegistry();
  const raw = JSON.parse(readFileSync(repoPath('config/agencies.json'), 'utf8')) as { agencies: unknown[] };

  it('loads through the validating loader without dropping entries', () => {
    expect(registry.all()).toHaveLength(raw.agencies.length);
  });

  it('holds the twelve districts and counties of Guangzhou (2009) as districts', () => {
    const districts = registry
      .all()
      .filter((d) => d.kind === 'district')
      .map((d) => d.name);
    expect(districts).toEqual([
      '越秀区',
      '海珠区',
      '荔湾区',
      '天河区',
      '白云区',
      '黄埔区',
      '番禺区',
      '花都区',
      '南沙区',
      '萝岗区',
      '从化市',
      '增城市',
    ]);
  });

  it('marks the vertically managed bodies as external', () => {
    for (const name of ['广州海关', '黄埔海关', '市国税局'])
      expect(registry.byName(name)?.kind).toBe('external');
    expect(registry.byName('市地税局')?.kind).toBe('department');
  });

  it('resolves the variants and the typo found in the default decision', () => {
    expect(registry.resolve('市经贸会').name).toBe('市经贸委');
    expect(registry.resolve('市府办公厅').name).toBe('市政府办公厅');
    expect(registry.resolve('广州市科学技术局').name).toBe('市科技局');
    expect(registry.resolve('各区、县级市').name).toBe('有关区');
    expect(registry.resolve('市有关单位').members).toEqual(registry.resolve('市各有关部门').members);
  });

  it('has no chat bindings yet', () => {
    expect(registry.all().every((d) => d.chatId === undefined && d.contactOpenId === undefined)).toBe(true);
  });
});

describe('loadAgencyRegistryFile errors', () => {
  it('names the entry and the fix for a bad kind', () => {
    const path = writeRegistry({
      agencies: [dept('市发改委'), dept('市经贸委'), { name: '市科技局', aliases: [], kind: 'bureau' }],
    });
    const error = loadError(path);
    expect(error.code).toBe('config.agencies_invalid');
    expect(error.message).toContain(
      'entry 3 (市科技局): kind must be one of department, district, external, collective. To fix: set "kind" to one of',
    );
    expect(error.message.startsWith(path)).toBe(true);
  });

  it('reports a name or alias used by two entries, naming both', () => {
    const error = loadError(writeRegistry([dept('市经贸委', ['市经贸会']), dept('市经贸局', ['市经贸会'])]));
    expect(error.message).toContain(
      'entry 2 (市经贸局): "市经贸会" is already used by entry 1 (市经贸委). To fix:',
    );
  });

  it('reports a group (chatId) given to two entries, naming both, before any database sees it', () => {
    const error = loadError(
      writeRegistry([
        { ...dept('市科技局'), chatId: 'oc_shared' },
        dept('市财政局'),
        { ...dept('市教育局'), chatId: ' oc_shared ' },
      ]),
    );
    expect(error.code).toBe('config.agencies_invalid');
    expect(error.message.split('\n').slice(1)).toEqual([
      'entry 3 (市教育局): chatId "oc_shared" is already the group of entry 1 (市科技局). To fix: a group serves one agency; correct the chatId of one of them, or leave it out and /bind the right group',
    ]);
  });

  it('reports the same name twice, and a name used as another entry’s alias', () => {
    const error = loadError(
      writeRegistry([dept('市科技局'), dept('市财政局', ['市科技局']), dept('市科技局')]),
    );
    expect(error.message.split('\n').slice(1)).toEqual([
      expect.stringMatching(
        /^entry 2 \(市财政局\): "市科技局" is already used by entry 1 \(市科技局\)\. To fix:/,
      ),
      expect.stringMatching(
        /^entry 3 \(市科技局\): "市科技局" is already used by entry 1 \(市科技局\)\. To fix:/,
      ),
    ]);
  });

  it('names the entry, the field and the fix for a wrong type or an unknown field', () => {
    const error = loadError(
      writeRegistry([
        { ...dept('市科技局'), chatId: 42 },
        { ...dept('市财政局'), officials: 'ou_1' },
        { name: 7, kind: 'department' },
        { ...dept('市教育局'), chatid: 'oc_1' },
      ]),
    );
    expect(error.message.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^entry 1 \(市科技局\): chatId is invalid\. To fix: make "chatId" a string/),
      expect.stringMatching(/^entry 2 \(市财政局\): officials is invalid\. To fix: make "officials" a list/),
      expect.stringMatching(/^entry 3 \(\?\): name is invalid\. To fix: give the entry a non-empty "name"/),
      expect.stringMatching(/^entry 4 \(市教育局\): unknown field\(s\) "chatid"\. To fix: remove them/),
    ]);
  });

  it('treats width and space variants of a name as the same name', () => {
    const error = loadError(writeRegistry([dept('各区(县级市)'), dept('各区（县级市）')]));
    expect(error.message).toContain('entry 2 (各区（县级市）): "各区（县级市）" is already used by entry 1');
  });

  it('lists every problem at once', () => {
    const error = loadError(
      writeRegistry([
        { aliases: [], kind: 'department' },
        { name: '各有关单位', aliases: [], kind: 'collective' },
        { name: '市科技局', alias: ['科技局'], kind: 'department' },
        { name: '市财政局', aliases: '财政局', kind: 'department' },
        { name: '市教育局', aliases: [], kind: 'department', expandsTo: 'all' },
      ]),
    );
    const lines = error.message.split('\n').slice(1);
    expect(lines).toEqual([
      expect.stringMatching(/^entry 1 \(\?\): name is missing\. To fix: give the entry a non-empty "name"/),
      expect.stringMatching(
        /^entry 2 \(各有关单位\): a collective needs "expandsTo"\. To fix: set it to "all"/,
      ),
      expect.stringMatching(/^entry 3 \(市科技局\): unknown field\(s\) "alias"\. To fix: remove them/),
      expect.stringMatching(/^entry 4 \(市财政局\): aliases is invalid\. To fix: make "aliases" a list/),
      expect.stringMatching(/^entry 5 \(市教育局\): "expandsTo" only applies to kind collective\. To fix:/),
    ]);
  });

  it('rejects a file that is not a list of agencies', () => {
    expect(loadError(writeRegistry({ agency: [] })).message).toContain(
      'the file must hold a list of agencies. To fix:',
    );
  });

  it('rejects broken JSON and a missing file with the same code', () => {
    expect(loadError(writeRegistry('{"agencies": [,]}'))).toMatchObject({
      code: 'config.agencies_invalid',
      message: expect.stringContaining('not valid JSON'),
    });
    expect(loadError(join(dir, 'missing.json'))).toMatchObject({
      code: 'config.agencies_invalid',
      message: expect.stringContaining('cannot read the agency registry'),
    });
  });

  it('accepts a bare array, fills in missing aliases and treats empty chat ids as unbound', () => {
    const defs = parseAgencyRegistry([
      { name: '市科技局', kind: 'department', chatId: '', contactOpenId: ' ' },
      { name: '市财政局', aliases: ['市财政局', '财政局'], kind: 'department', chatId: 'oc_123' },
    ]);
    expect(defs).toEqual([
      { name: '市科技局', aliases: [], kind: 'department' },
      { name: '市财政局', aliases: ['财政局'], kind: 'department', chatId: 'oc_123' },
    ]);
  });
});
