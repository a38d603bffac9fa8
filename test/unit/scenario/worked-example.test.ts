import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openScenario } from '../../../src/scenario/compile-scenario.js';
import { replay } from '../../golden/golden-runner.js';

const FIXTURE = 'test/unit/scenario/fixtures/three-frames.yaml';
const DOC = readFileSync('docs/scenarios.md', 'utf8');

/** The fenced block that follows `<!-- example: NAME -->` in docs/scenarios.md. */
function docBlock(name: string): string {
  const m = new RegExp(`<!-- example: ${name.replace('.', '\\.')} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\n`).exec(DOC);
  if (!m) throw new Error(`docs/scenarios.md has no example block '${name}'`);
  return m[1]!;
}

describe('the worked example of docs/scenarios.md', () => {
  it('shows the fixture file verbatim', () => {
    expect(docBlock('three-frames.yaml')).toBe(readFileSync(FIXTURE, 'utf8'));
  });

  it('loads into a one-processor target with two modules', () => {
    const t = openScenario(FIXTURE);
    expect(t.units).toHaveLength(1);
    expect(t.modules.map((m) => [m.name, m.base])).toEqual([
      ['nt', 0xfffff80002c00000n],
      ['demo', 0xfffff88004a00000n],
    ]);
    expect(t.bugCheck?.code).toBe(0xe2n);
  });

  const expected = docBlock('kv').split('\n');
  const command = expected[0]!.replace(/^0: kd> /, '');

  it('kv gives the frames, return addresses and call sites the guide describes', async () => {
    const actual = (await replay(FIXTURE, [command])).split('\n');
    expect(actual).toHaveLength(expected.length);
    // Header and frames 0-1 exactly; frame 2 (the last) without its Args to Child, see below.
    expect(actual.slice(0, 4)).toEqual(expected.slice(0, 4));
    const columns = (row: string) => [row.slice(0, 35), row.slice(row.lastIndexOf(' : '))];
    expect(columns(actual[4]!)).toEqual(columns(expected[4]!));
  });

  // KNOWN BUG (reported to the lead): src/format/stack-rows.ts reads the last frame's Args to Child at
  // Child-SP+8 because the walk has no next frame; they belong just above its return address (S+0x78).
  // When that is fixed this test starts passing: turn `it.fails` into `it`.
  it('kv prints the last frame\'s Args to Child from above its return address', async () => {
    expect(await replay(FIXTURE, [command])).toBe(docBlock('kv'));
  });

  it('.frame /r 2 shows rbx restored from the slot DemoWorker pushed it to', async () => {
    const text = await replay(FIXTURE, ['.frame /r 2']);
    expect(text).toContain('02 fffff880`05a1f830 00000000`00000000 demo!DemoDispatch+0x51\n');
    expect(text).toContain('rax=0000000000000000 rbx=fffffa8003b0e010 rcx=00000000000000e2\n');
    expect(text).toContain('rip=fffff88004a01091 rsp=fffff88005a1f830 rbp=0000000000000000\n');
  });
});
