import { describe, expect, it } from 'vitest';
import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import { DumpSession } from '../../../src/session/dump-session.js';
import { formatPrintf, unescapeC } from '../../../src/script/printf.js';
import { RegisterContext } from '../../../src/target/registers.js';
import type { Target } from '../../../src/target/target.js';
import { createSession } from '../../../src/session/create-session.js';
import { openTarget } from '../../../src/session/open-target.js';
import { SEED } from './helpers.js';

const BASE = 0x10000n;

/** A user-mode x64 target with strings at known addresses. */
function stringSession(pointerSize: 4 | 8 = 8): DumpSession {
  const bytes = new Uint8Array(0x100);
  bytes.set(new TextEncoder().encode('hello\0'), 0x00);
  // "wide" in UTF-16LE at 0x20
  [...'wide'].forEach((c, i) => bytes.set([c.charCodeAt(0), 0], 0x20 + i * 2));
  // UNICODE_STRING at 0x40: Length 6, MaximumLength 8, Buffer -> 0x20 (first three chars)
  const dv = new DataView(bytes.buffer);
  dv.setUint16(0x40, 6, true);
  dv.setUint16(0x42, 8, true);
  if (pointerSize === 8) dv.setBigUint64(0x48, BASE + 0x20n, true);
  else dv.setUint32(0x44, Number(BASE + 0x20n), true);
  // ANSI_STRING at 0x60: Length 4 -> "hell"
  dv.setUint16(0x60, 4, true);
  if (pointerSize === 8) dv.setBigUint64(0x68, BASE, true);
  else dv.setUint32(0x64, Number(BASE), true);
  const target: Target = {
    kind: 'user',
    arch: pointerSize === 8 ? 'x64' : 'x86',
    pointerSize,
    path: 'strings.dmp',
    dumpKindLine: 'User Mini Dump File',
    memory: new BlockMemory([{ base: BASE, bytes }]),
    modules: [],
    units: [{ index: 0, context: new RegisterContext(pointerSize === 8 ? 'x64' : 'x86', {}) }],
    initialUnit: 0,
    system: { versionLine: 'test', buildNumber: 7601 },
    warnings: [],
  };
  return new DumpSession(target, () => ({ frames: [] }));
}

describe('formatPrintf', () => {
  const s = stringSession();

  it('prints integers as 32-bit unless I64 or ll', () => {
    expect(formatPrintf('%d %u %x %X %o', [-1n, -1n, 0x1234abcdn, 0xabcn, 8n], s)).toBe('-1 4294967295 1234abcd ABC 10');
    expect(formatPrintf('%I64x %I64d %llu', [0xfffff80003aab937n, -5n, 1n << 40n], s)).toBe('fffff80003aab937 -5 1099511627776');
    expect(formatPrintf('%d', [0x1_0000_0005n], s)).toBe('5');
  });

  it('honours flags, width and precision', () => {
    expect(formatPrintf('[%08x] [%-6d] [%6d] [%+d] [%#x] [%.3d] [%*d]', [0xbeefn, 42n, -42n, 7n, 255n, 5n, 4n, 9n], s)).toBe(
      '[0000beef] [42    ] [   -42] [+7] [0xff] [005] [   9]',
    );
  });

  it('prints %p with the debugger address format and %N as a host pointer', () => {
    expect(formatPrintf('%p %N', [0xfffff88006e53328n, 0x2an], s)).toBe('fffff880`06e53328 000000000000002A');
    expect(formatPrintf('%p', [0x8013ed5cn], stringSession(4))).toBe('8013ed5c');
  });

  it('reads strings from target memory: %ma %mu %msu %msa %s', () => {
    expect(formatPrintf('%ma|%mu|%msu|%msa|%s|%.2ma|%7ma|', [BASE, BASE + 0x20n, BASE + 0x40n, BASE + 0x60n, BASE, BASE, BASE], s)).toBe(
      'hello|wide|wid|hell|hello|he|  hello|',
    );
    expect(formatPrintf('%msu', [BASE + 0x40n], stringSession(4))).toBe('wid');
    expect(() => formatPrintf('%ma', [0x1234n], s)).toThrow('Memory access error');
  });

  it('prints %c, %% and floats, and fails on missing arguments', () => {
    expect(formatPrintf('%c%c %% 100%%', [0x4fn, 0x4bn], s)).toBe('OK % 100%');
    expect(formatPrintf('%f %.2lf', [0x3fc00000n, 0x400921fb54442d18n], s)).toBe('1.500000 3.14');
    expect(() => formatPrintf('%d %d', [1n], s)).toThrow('Not enough arguments');
  });

  it('prints %y as symbol+displacement and the address', async () => {
    const seed = createSession(await openTarget(SEED));
    expect(formatPrintf('%y', [0xfffff80003aab937n], seed)).toBe('nt!KeFlushProcessWriteBuffers+0x63 (fffff800`03aab937)');
    expect(formatPrintf('%y', [0x7799161an], seed)).toBe('00000000`7799161a');
  });

  it('unescapes C escapes of the format string', () => {
    expect(unescapeC('a\\nb\\t\\"c\\\\ \\x41')).toBe('a\nb\t"c\\ A');
  });
});
