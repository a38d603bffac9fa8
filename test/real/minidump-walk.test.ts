import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMinidump, openMinidump } from '../../src/target/user/minidump-target.js';
import { walkX86 } from '../../src/unwind/x86/walk-x86.js';
import { recordingModules } from '../unit/formats/minidump/fake-modules.js';
import { findDumps, readLldb, TESTDATA } from './minidump-references.js';

const present = existsSync(TESTDATA);
if (!present) console.warn(`skipping real x86 stack-walk tests: ${TESTDATA} is absent`);

function isMdmp(file: string): boolean {
  const fd = openSync(file, 'r');
  const b = new Uint8Array(4);
  readSync(fd, b, 0, 4, 0);
  closeSync(fd);
  return isMinidump(b);
}

describe.skipIf(!present)('x86 stack walks of real minidumps', () => {
  const dumps = findDumps(TESTDATA).filter((f) => existsSync(`${f}.lldb.txt`) && isMdmp(f) && !/invalid-r/.test(f));

  // lldb unwinds Windows x86 minidumps without symbols by the EBP chain only, so our
  // context + frame-pointer frames (before any scanned frame) must be exactly its frames.
  it.each(dumps.map((f) => [path.basename(f), f]))('%s: frame-pointer frames equal lldb bt', (_n, file) => {
    const t = openMinidump(file, { moduleFactory: recordingModules().factory });
    if (t.arch !== 'x86') return;
    const ref = readLldb(`${file}.lldb.txt`);
    const inModule = (a: bigint): boolean => t.modules.some((m) => a >= m.base && a < m.base + BigInt(m.size));
    expect(ref.frames).toHaveLength(t.units.length);
    t.units.forEach((u, i) => {
      const start = t.exception?.threadIndex === i && t.exception.context ? t.exception.context : u.context;
      const walk = walkX86(start, t.memory, inModule);
      const trusted = walk.frames.filter((f, k) => walk.frames.slice(0, k + 1).every((g) => g.trust !== 'scan'));
      const ips = trusted.map((f) => f.instructionPointer);
      // lldb has no unwind plan for a pc outside every module and stops there; we keep
      // following the EBP chain (as WinDbg does), so only frame 0 is comparable then.
      if (inModule(start.ip)) expect(ips, `${path.basename(file)} thread ${i}`).toEqual(ref.frames[i]);
      else expect(ips.slice(0, 1)).toEqual(ref.frames[i]);
    });
    t.close();
  });

  it('exec_av_on_stack.dmp: unwinds from code on the stack through the EBP chain', () => {
    const t = openMinidump(path.join(TESTDATA, 'google+breakpad/src/processor/testdata/exec_av_on_stack.dmp'), { moduleFactory: recordingModules().factory });
    const inModule = (a: bigint): boolean => t.modules.some((m) => a >= m.base && a < m.base + BigInt(m.size));
    const walk = walkX86(t.exception!.context!, t.memory, inModule);
    expect(walk.frames.map((f) => [f.instructionPointer, f.trust])).toEqual([
      [0x3df944n, 'context'],
      [0x75f03677n, 'frame-pointer'],
      [0x772e9d42n, 'frame-pointer'],
      [0x772e9d15n, 'frame-pointer'],
    ]);
    t.close();
  });

  it('minidump2.dmp: the crashing thread unwinds to BaseProcessStart like breakpad (4 frames)', () => {
    const t = openMinidump(path.join(TESTDATA, 'google+breakpad/src/processor/testdata/minidump2.dmp'), { moduleFactory: recordingModules().factory });
    const inModule = (a: bigint): boolean => t.modules.some((m) => a >= m.base && a < m.base + BigInt(m.size));
    const walk = walkX86(t.exception!.context!, t.memory, inModule);
    // breakpad minidump2.stackwalk.out: eip/esp/ebp of frames 0-3.
    expect(walk.frames.map((f) => [f.instructionPointer, f.stackPointer, f.framePointer, f.trust])).toEqual([
      [0x0040429en, 0x0012fe84n, 0x0012fe88n, 'context'],
      [0x00404200n, 0x0012fe90n, 0x0012ff70n, 'frame-pointer'],
      [0x004053ecn, 0x0012ff78n, 0x0012ffc0n, 'frame-pointer'],
      [0x7c816fd7n, 0x0012ffc8n, 0x0012fff0n, 'frame-pointer'],
    ]);
    expect(walk.stopReason).toBe('end of the frame-pointer chain (return address 0)');
    t.close();
  });
});
