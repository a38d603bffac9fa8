import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync('docs/json-schema/command-output.schema.json', 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);
const MINIDUMP2 = resolve(process.cwd(), '../shared/testdata/google+breakpad/src/processor/testdata/minidump2.dmp');

function records(args: string[]): Record<string, unknown>[] {
  const r = spawnSync(process.execPath, ['bin/crashkd.js', ...args], { encoding: 'utf8', input: '' });
  expect(r.status).toBe(0);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

function expectValid(rs: Record<string, unknown>[]): void {
  for (const r of rs) expect(validate(r), `${JSON.stringify(r).slice(0, 200)}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

describe('crashkd --json', () => {
  it('emits one schema-valid object per command on the seed scenario', () => {
    const rs = records(['fixtures/clock-watchdog-0x101.yaml', '--json', '-c', 'kv; r; lm; ~; .bugcheck; !analyze -v; dq fffff880`06e53328 L4; u fffff800`03aab937 L2; vertarget; xyzzy; q']);
    expect(rs.map((r) => r['command'])).toEqual(['kv', 'r', 'lm', '~', '.bugcheck', '!analyze -v', 'dq fffff880`06e53328 L4', 'u fffff800`03aab937 L2', 'vertarget', 'xyzzy', 'q']);
    expectValid(rs);
    const kv = rs[0]!['result'] as { frames: { callSite: string; trapFrame?: string }[] };
    expect(kv.frames).toHaveLength(10);
    expect(kv.frames[4]).toMatchObject({ callSite: 'nt!KiInterruptDispatchNoLock+0x163', trapFrame: '0xfffff88006e534f0' });
    expect(rs[4]!['result']).toEqual({ code: '0x101', parameters: ['0x31', '0x0', '0xfffff88003165180', '0x2'] });
    expect(rs[9]).toEqual({ command: 'xyzzy', processor: 0, error: "^ Syntax error in 'xyzzy'" });
  });

  it('reports the processor each command ran on', () => {
    const rs = records(['fixtures/clock-watchdog-0x101.yaml', '--json', '-c', '~2s; kv; q']);
    expect(rs[1]).toMatchObject({ command: 'kv', processor: 2 });
  });

  it.skipIf(!existsSync(MINIDUMP2))('works on a user minidump with thread numbers', () => {
    const rs = records([MINIDUMP2, '--json', '-c', '.lastevent; kv; lm; q']);
    expectValid(rs);
    expect(rs[1]).toMatchObject({ command: 'kv', thread: 0 });
    expect((rs[2]!['result'] as { modules: unknown[] }).modules).toHaveLength(13);
  });
});
