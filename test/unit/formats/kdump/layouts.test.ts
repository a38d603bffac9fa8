import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../../src/errors.js';
import { decodeContextX64 } from '../../../../src/formats/kdump/context-x64.js';
import { isKernelDump, parseDumpHeader64 } from '../../../../src/formats/kdump/dump-header.js';
import { KDBG_TAG, parseKdDebuggerData } from '../../../../src/formats/kdump/kdbg.js';
import { parsePhysicalMemoryDescriptor } from '../../../../src/formats/kdump/physical-memory-descriptor.js';
import { readDumpString } from '../../../../src/formats/kdump/triage-drivers.js';
import { BufferByteSource } from '../../../../src/memory/kernel/byte-source.js';
import { contextBytes, KernelMachine, put32, put64 } from '../../../builders/kdump-builder.js';
import { standardSpec } from './helpers.js';

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

describe('isKernelDump', () => {
  it('accepts PAGEDU64 and PAGEDUMP only', () => {
    expect(isKernelDump(ascii('PAGEDU64xxxx'))).toBe(true);
    expect(isKernelDump(ascii('PAGEDUMP'))).toBe(true);
    expect(isKernelDump(ascii('PAGEDU6'))).toBe(false);
    expect(isKernelDump(ascii('MDMP\x93\xa7\0\0'))).toBe(false);
    expect(isKernelDump(new Uint8Array(0))).toBe(false);
  });
});

describe('parseDumpHeader64', () => {
  const m = new KernelMachine(standardSpec());
  const header = (): Uint8Array => {
    const h = m.header(1);
    put32(h, 0x88, 1);
    put64(h, 0x90, 4n);
    put64(h, 0x98, 0x10n);
    put64(h, 0xa0, 4n);
    return h;
  };

  it('decodes the fields and treats PAGE fill as unset', () => {
    const h = header();
    put32(h, 0x1040, 0x45474150);
    const d = parseDumpHeader64(new BufferByteSource(h));
    expect(d.minorVersion).toBe(19041);
    expect(d.numberProcessors).toBe(3);
    expect(d.bugCheckCode).toBe(0x1000007e);
    expect(d.bugCheckParameters[0]).toBe(0xffffffffc0000005n);
    expect(d.physicalRuns).toEqual([{ basePage: 0x10, pageCount: 4 }]);
    expect(d.productType).toBeUndefined();
    expect(d.suiteMask).toBe(0x110);
    expect(d.comment).toBeUndefined();
    expect(d.exception).toMatchObject({ code: 0x80000003, parameters: [] });
    expect(d.warnings).toEqual([]);
  });

  it('fails clearly on short, foreign and 32-bit files', () => {
    const err = (bytes: Uint8Array): string => {
      try {
        parseDumpHeader64(new BufferByteSource(bytes));
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        return (e as FormatError).message;
      }
      return 'no error';
    };
    expect(err(new Uint8Array(3))).toMatch(/not a kernel dump/);
    expect(err(ascii('MDMP\x93\xa7\0\0'))).toMatch(/not a kernel dump/);
    expect(err(ascii('PAGEDUMP'))).toBe('32-bit kernel dumps are not supported yet');
    expect(err(header().subarray(0, 0x1000))).toBe('DUMP_HEADER64 is truncated: the file has 0x1000 bytes, the header needs 0x2000');
    const h = header();
    put32(h, 0xf18, 99);
    expect(err(h)).toMatch(/Exception: NumberParameters 99/);
  });

  it('warns when NumberOfPages disagrees with the runs', () => {
    const h = header();
    put64(h, 0x90, 5n);
    expect(parseDumpHeader64(new BufferByteSource(h)).warnings).toEqual([
      'WARNING: PHYSICAL_MEMORY_DESCRIPTOR NumberOfPages 0x5 differs from the sum of its runs 0x4',
    ]);
  });
});

describe('parsePhysicalMemoryDescriptor', () => {
  it('ignores garbage in dumps that do not use it', () => {
    const b = new Uint8Array(0x2c0);
    put32(b, 0, 0x45474150);
    expect(parsePhysicalMemoryDescriptor(b, false).runs).toEqual([]);
    put32(b, 0, 500);
    expect(parsePhysicalMemoryDescriptor(b, false).runs).toEqual([]);
    expect(() => parsePhysicalMemoryDescriptor(b, true)).toThrow(/NumberOfRuns 500 exceeds the 42 runs/);
  });
});

describe('decodeContextX64', () => {
  it('reads registers at the CONTEXT offsets and spots all-zero contexts', () => {
    const c = decodeContextX64(contextBytes({ rip: 0xfffff8047bdf5a80n, rsp: 0xffff850429890ee8n, r9: 9n, efl: 0x40286n, cs: 0x10n, ss: 0x18n }));
    expect(c.values['rip']).toBe(0xfffff8047bdf5a80n);
    expect(c.values['rsp']).toBe(0xffff850429890ee8n);
    expect(c.values['r9']).toBe(9n);
    expect(c.values['efl']).toBe(0x40286n);
    expect(c.values['cs']).toBe(0x10n);
    expect(c.values['ss']).toBe(0x18n);
    expect(c.contextFlags).toBe(0x10001f);
    expect(c.isZero).toBe(false);
    expect(decodeContextX64(new Uint8Array(0x4d0)).isZero).toBe(true);
  });
});

describe('parseKdDebuggerData', () => {
  it('needs the KDBG tag and a sane size; reads Win7+ fields only when present', () => {
    const b = new Uint8Array(0x380);
    put32(b, 0x10, KDBG_TAG);
    put32(b, 0x14, 0x330);
    put64(b, 0x18, 0xfffff80002a49000n);
    put64(b, 0x218, 0xfffff80002cb1b00n);
    b[0x2b4] = 8;
    b[0x338] = 0xd8;
    const k = parseKdDebuggerData(b)!;
    expect(k.kernBase).toBe(0xfffff80002a49000n);
    expect(k.kiProcessorBlock).toBe(0xfffff80002cb1b00n);
    expect(k.offsetPrcbCurrentThread).toBe(8);
    expect(k.offsetPrcbContext).toBeUndefined();
    put32(b, 0x14, 0x340);
    expect(parseKdDebuggerData(b)!.offsetPrcbContext).toBe(0xd8);
    put32(b, 0x14, 0x100);
    expect(parseKdDebuggerData(b)).toBeUndefined();
    put32(b, 0x14, 0x380);
    put32(b, 0x10, 0x12345678);
    expect(parseKdDebuggerData(b)).toBeUndefined();
  });
});

describe('readDumpString', () => {
  it('reads a length in characters and rejects lengths past the file', () => {
    const b = new Uint8Array(32);
    put32(b, 0, 3);
    b.set(Buffer.from('hal\0', 'utf16le'), 4);
    expect(readDumpString(new BufferByteSource(b), 0)).toBe('hal');
    put32(b, 0, 100);
    expect(() => readDumpString(new BufferByteSource(b), 0)).toThrow(/DUMP_STRING\.Length 100/);
  });
});
