import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../../src/errors.js';
import { openMinidumpBytes, type MinidumpTarget } from '../../../../src/target/user/minidump-target.js';
import { MinidumpBuilder } from '../../../builders/minidump-builder.js';
import { recordingModules } from './fake-modules.js';

function open(bytes: Uint8Array): MinidumpTarget {
  return openMinidumpBytes(bytes, { moduleFactory: recordingModules().factory });
}

/** A dump with one of everything, memory last so truncation eats it first. */
function fullDump(): MinidumpBuilder {
  return new MinidumpBuilder('x64')
    .thread({ id: 0x10, teb: 0x1000n, stack: { start: 0x2000n, bytes: new Uint8Array(64).fill(3) }, context: { regs: { rip: 0x7ff0000010n, rsp: 0x2000n }, cetU: { msr: 1n, ssp: 2n } } })
    .thread({ id: 0x11, context: { regs: { rip: 0x7ff0000020n } } })
    .module({ base: 0x7ff000000000n, size: 0x10000, path: 'C:\\a\\app.exe', fileVersion: [1, 2, 3, 4], cv: { type: 'RSDS', guid: '00112233445566778899AABBCCDDEEFF', age: 3, pdb: 'app.pdb' } })
    .unloadedModule({ base: 0x7ff100000000n, size: 0x1000, path: 'old.dll' })
    .memoryBlock(0x3000n, new Uint8Array(32).fill(7))
    .miscInfo({ processId: 99, processCreateTime: 1000, buildString: '1.2.3', timeZone: { id: 1, bias: 480, standardBias: 0, daylightBias: -60 } })
    .exception({ threadId: 0x11, code: 0xc0000005, address: 0x7ff0000020n, parameters: [0n, 0x10n], context: { regs: { rip: 0x7ff0000020n } } })
    .threadName(0x10, 'main')
    .handles(3)
    .assertion({ expression: 'e', function: 'f', file: 'x.cpp', line: 1, type: 2 })
    .memory64Block(0x7ff000000000n, new Uint8Array(0x100).fill(9));
}

describe('minidump truncation and corruption', () => {
  it('opens every prefix of a complete dump or fails with a FormatError, never another error', () => {
    const bytes = fullDump().build();
    // The directory says where SystemInfo ends; from there on the architecture is known.
    const dv = new DataView(bytes.buffer);
    let sysEnd = 0;
    for (let i = 0; i < dv.getUint32(8, true); i++) {
      const o = 32 + i * 12;
      if (dv.getUint32(o, true) === 7) sysEnd = dv.getUint32(o + 8, true) + dv.getUint32(o + 4, true);
    }
    expect(sysEnd).toBeGreaterThan(0);
    for (let n = 0; n <= bytes.length; n++) {
      try {
        const t = open(bytes.subarray(0, n));
        expect(t.units.length).toBeLessThanOrEqual(2);
      } catch (e) {
        if (!(e instanceof FormatError)) throw new Error(`prefix ${n}: ${String(e)}`);
        expect(e.message).not.toContain('\n');
        expect(n, `prefix ${n} should open: ${e.message}`).toBeLessThan(sysEnd);
      }
    }
  });

  it('survives random byte corruption (open or FormatError)', () => {
    const good = fullDump().build();
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 400; round++) {
      const bytes = good.slice();
      for (let k = 0; k < 1 + rand(8); k++) bytes[rand(bytes.length)] = rand(256);
      try {
        open(bytes);
      } catch (e) {
        if (!(e instanceof FormatError)) throw new Error(`round ${round}: ${String(e)}`);
      }
    }
  });

  it('ignores a stream that runs past the end of the file and opens the rest', () => {
    const b = fullDump();
    b.editDirectory = (entries) => {
      const mods = entries.find((e) => e.type === 4)!;
      mods.size = 0x7fffff00;
    };
    const t = open(b.build());
    expect(t.modules).toHaveLength(0);
    expect(t.units).toHaveLength(2);
    expect(t.warnings.some((w) => /^ModuleList stream \(2147483392 bytes at 0x[0-9a-f]+\) runs past the end of the file/.test(w))).toBe(true);
  });

  it('ignores a list whose count does not fit its stream', () => {
    const bogus = new Uint8Array(4 + 48);
    new DataView(bogus.buffer).setUint32(0, 0x10000000, true);
    const b = new MinidumpBuilder('x64').rawStream(3, bogus).module({ base: 0x1000n, size: 0x1000, path: 'a.dll' });
    const t = open(b.build());
    expect(t.units).toHaveLength(0);
    expect(t.modules).toHaveLength(1);
    expect(t.warnings).toEqual(['ThreadList stream claims 268435456 entries of 48 bytes but holds 52 bytes; ignored']);
  });

  it('keeps the part of Memory64List data that is still in a truncated file', () => {
    const b = new MinidumpBuilder('x64').thread({ id: 1 }).memory64Block(0x10000n, new Uint8Array(0x1000).fill(1)).memory64Block(0x20000n, new Uint8Array(0x1000).fill(2)).memory64Block(0x30000n, 0x1000);
    const whole = b.build();
    const t = open(whole.subarray(0, whole.length - 0x1000 - 0x800));
    expect(t.memory.all.map((r) => [r.start, r.size])).toEqual([[0x10000n, 0x1000], [0x20000n, 0x800]]);
    expect(t.memory.readPartial(0x207fen, 4)).toEqual(new Uint8Array([2, 2]));
    expect(t.warnings).toEqual(['Memory64List: range 1 at 0x20000 (0x1000 bytes) runs past the end of the file; kept 0x800 bytes, 1 later ranges dropped']);
  });

  it('clips MemoryList blocks that run past the end of the file, naming only the first three', () => {
    const list = new Uint8Array(4 + 5 * 16);
    const dv = new DataView(list.buffer);
    dv.setUint32(0, 5, true);
    for (let i = 0; i < 5; i++) {
      dv.setBigUint64(4 + i * 16, 0x10000n * BigInt(i + 1), true);
      dv.setUint32(4 + i * 16 + 8, i === 0 ? 0x10 : 0x100, true);
      dv.setUint32(4 + i * 16 + 12, i === 0 ? 0 : 0x7fff0000, true); // only the first block is in the file
    }
    const t = open(new MinidumpBuilder('x64').thread({ id: 1 }).rawStream(5, list).build());
    expect(t.memory.all.map((r) => [r.start, r.size])).toEqual([[0x10000n, 0x10]]);
    expect(t.memory.readPartial(0x10000n, 4)).toEqual(new Uint8Array([0x4d, 0x44, 0x4d, 0x50]));
    expect(t.warnings).toEqual([
      'MemoryList: memory at 0x20000 (0x100 bytes at file offset 0x7fff0000) runs past the end of the file; dropped',
      'MemoryList: memory at 0x30000 (0x100 bytes at file offset 0x7fff0000) runs past the end of the file; dropped',
      'MemoryList: memory at 0x40000 (0x100 bytes at file offset 0x7fff0000) runs past the end of the file; dropped',
      'MemoryList: 1 more ranges run past the end of the file',
    ]);
  });

  it('gives a thread whose context is past the end of the file a zero context and a note', () => {
    const b = new MinidumpBuilder('x86').thread({ id: 5, context: { regs: { eip: 0x401000n } } });
    const bytes = b.build();
    // Point the thread's context RVA (ThreadList entry +0x2C) past the end of the file.
    const dv = new DataView(bytes.buffer);
    const listRva = dv.getUint32(32 + 8, true);
    dv.setUint32(listRva + 4 + 0x2c, bytes.length + 0x100, true);
    const t = open(bytes);
    expect(t.units[0]!.contextNote).toBe('context runs past the end of the file');
    expect(t.units[0]!.context.ip).toBe(0n);
    expect(t.warnings[0]).toMatch(/^thread 0 \(id 5\) CONTEXT \(716 bytes at 0x[0-9a-f]+\) runs past the end of the file; ignored$/);
  });
});
