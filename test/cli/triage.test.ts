import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { collectDumps } from '../../src/triage/collect-dumps.js';

const TESTDATA = resolve(process.cwd(), '../shared/testdata');
const schema = JSON.parse(readFileSync('docs/json-schema/triage-row.schema.json', 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

function crashkd(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/crashkd.js', ...args], { encoding: 'utf8', input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

if (!existsSync(TESTDATA)) console.warn(`skipping triage tests: ${TESTDATA} is absent`);

describe.skipIf(!existsSync(TESTDATA))('crashkd triage', () => {
  it('prints one valid JSON line per dump, malformed ones as error rows', () => {
    const r = crashkd(['triage', TESTDATA, '--jsonl', '-j', '2']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(collectDumps([TESTDATA]).length);
    for (const row of rows) expect(validate(row), JSON.stringify(validate.errors)).toBe(true);
    const byName = (n: string) => rows.find((x) => String(x['file']).endsWith(n))!;
    expect(byName('invalid-range.dmp')['error']).toMatch(/StreamDirectoryRva/);
    expect(byName('triage_x64.dmp')).toMatchObject({ kind: 'kernel', eventCode: '0x1000007e', build: 19041 });
    expect(byName('minidump2.dmp')).toMatchObject({ kind: 'user', eventCode: '0xc0000005', module: 'test_app.exe' });
  });

  it('groups the table by event and module', () => {
    const r = crashkd(['triage', TESTDATA, '-j', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+ dumps: \d+ analysed, 2 could not be read; \d+ buckets$/m);
    expect(r.stdout).toMatch(/^ {5}2 {2}Exception 0xc0000005 \/ test_app\.exe$/m);
  });

  it('rejects a bad option with exit code 2', () => {
    expect(crashkd(['triage', '--frob', TESTDATA]).code).toBe(2);
    expect(crashkd(['triage']).code).toBe(2);
  });
});
