import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pointerParameters } from '../../../src/lessons/pointer-params.js';
import { checkScenarioFile } from '../../../src/lessons/scenario-check.js';

const EXAMPLE = readFileSync('test/unit/scenario/fixtures/three-frames.yaml', 'utf8');
/** The worked example of docs/scenarios.md with the structure its bug-check parameter names. */
const FIXED = EXAMPLE.replace(
  'memory:\n',
  'memory:\n  - # the driver context KeBugCheckEx names\n    address: 0xfffffa8003c1d2e0\n    qwords: [0x1, 0x0]\n',
);

function variant(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'crashkd-scheck-')), 'three-frames.yaml');
  writeFileSync(file, text);
  return file;
}

function texts(file: string, as = 'F') {
  const r = checkScenarioFile(file);
  return { ok: r.ok, lines: [...r.findings.map((f) => f.text.replace(file, as)), r.summary.replace(file, as)] };
}

describe('scenario check', () => {
  it('passes the seed scenario, noting the processor that saved no context', () => {
    expect(texts('fixtures/clock-watchdog-0x101.yaml', 'fixtures/clock-watchdog-0x101.yaml')).toEqual({
      ok: true,
      lines: [
        'fixtures/clock-watchdog-0x101.yaml:57:5: note: processor 2 has no saved context (all registers zero): its stack is not checked',
        'fixtures/clock-watchdog-0x101.yaml: ok (4 processors, 9 modules)',
      ],
    });
  });

  it('passes a consistent scenario with no findings', () => {
    expect(texts(variant(FIXED))).toEqual({ ok: true, lines: ['F: ok (1 processor, 2 modules)'] });
  });

  it('reports a bug-check parameter that points at nothing in the scenario', () => {
    expect(texts(variant(EXAMPLE))).toEqual({
      ok: false,
      lines: [
        'F:16:16: bug-check parameter 1 (fffffa80`03c1d2e0) looks like an address but points at no memory, module or processor structure of the scenario',
        'F: 1 problem (1 processor, 2 modules)',
      ],
    });
  });

  it('reports a stack that does not unwind to a plausible end', () => {
    const broken = FIXED.replace('0xfffff88004a01021,  ', '0xfffff88009999999,  ');
    expect(broken).not.toBe(FIXED);
    const r = texts(variant(broken));
    expect(r.ok).toBe(false);
    expect(r.lines[0]).toMatch(/^F:23:12: processor 0: frame 1 at fffff880`09999999 is outside every module$/);
  });

  it('reports code at rip that does not decode', () => {
    const broken = FIXED.replace('bytes: 48 89 4c 24 08 48 89 54', 'bytes: 06 89 4c 24 08 48 89 54');
    expect(broken).not.toBe(FIXED);
    expect(texts(variant(broken)).lines).toEqual([
      'F:22:12: processor 0: the code at rip fffff800`02c75c40 does not decode as an instruction',
      'F: 1 problem (1 processor, 2 modules)',
    ]);
  });

  it('reports a scenario that does not load with its located message', () => {
    expect(texts(variant(EXAMPLE.replace('    symbols: pdb\n', '    sybmols: pdb\n')))).toEqual({
      ok: false,
      lines: ["F:35:5: missing required key 'symbols' in modules.0", 'F: does not load'],
    });
  });
});

describe('pointerParameters', () => {
  it('keeps kernel pointers and leaves out codes, -1 and the addresses a faulting access referenced', () => {
    // 0x101: Arg3 is a PRCB.
    expect(pointerParameters(0x101n, [0x31n, 0n, 0xfffff88003165180n, 2n])).toEqual([2]);
    // 0x1E: Arg1 an exception code (sign-extended), Arg2 the faulting address, Arg4 the address accessed.
    expect(pointerParameters(0x1en, [0xffffffffc0000005n, 0xfffff88004a01021n, 0n, 0xfffffa8000000010n])).toEqual([1]);
    // 0x50 and 0x0A: Arg1 is the memory referenced; Arg3/Arg4 the instruction that referenced it.
    expect(pointerParameters(0x50n, [0xffff9a8e4c7a2028n, 0n, 0xfffff80002c75c40n, 2n])).toEqual([2]);
    expect(pointerParameters(0xan, [0xffffc60b3a7e5f5cn, 2n, 0n, 0xfffff80002c75c40n])).toEqual([3]);
    // A code the reference does not describe: every kernel-looking value, but not -1.
    expect(pointerParameters(0xdeadn, [0xfffffa8003c1d2e0n, 0xffffffffffffffffn, 5n, 0n])).toEqual([0]);
  });
});
