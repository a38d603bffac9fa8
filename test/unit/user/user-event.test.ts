import { describe, expect, it } from 'vitest';
import { eventDescription, exceptionName, exceptionRecordLines, processThreadIds } from '../../../src/format/user-event.js';
import { SortedSymbols } from '../../../src/symbols/sorted-symbols.js';
import { Symbolizer } from '../../../src/symbols/symbolizer.js';
import type { Module } from '../../../src/target/target.js';

function module(name: string, base: bigint, size: number, symbols: SortedSymbols): Module {
  return { name, imageName: `${name}.dll`, imagePath: `C:\\${name}.dll`, base, size, timestamp: 0, checksum: 0, symbols: () => symbols };
}

const symbolizer = new Symbolizer([
  module('KERNELBASE', 0x77900000n, 0x100000, new SortedSymbols('pdb', [{ name: 'RaiseException', rva: 0x427c0, length: 0x80 }])),
  module('app', 0x7ff6ecfc0000n, 0x10000, new SortedSymbols('none', [], '*** ERROR: Module load completed but symbols could not be loaded for app.exe')),
]);

describe('exception names', () => {
  it("uses cdb's event names and calls other codes unknown", () => {
    expect(exceptionName(0xc0000005)).toBe('Access violation');
    expect(exceptionName(0x80000003)).toBe('Break instruction exception');
    expect(exceptionName(0xc0000409)).toBe('Stack buffer overrun');
    expect(exceptionName(0xc00000fd)).toBe('Stack overflow');
    expect(exceptionName(0xe06d7363)).toBe('C++ EH exception');
    expect(exceptionName(0xc000000d)).toBeUndefined();
    expect(eventDescription(0xc0000005)).toBe('Access violation - code c0000005');
    expect(eventDescription(0xc000000d)).toBe('Unknown exception - code c000000d');
    expect(eventDescription(0x8898008d | 0)).toBe('Unknown exception - code 8898008d');
    expect(processThreadIds(0x490, 0x530)).toBe('490.530');
    expect(processThreadIds(undefined, 0x530)).toBe('0.530');
  });
});

describe('.exr record lines', () => {
  const base = { flags: 0, numberParameters: 2 };

  it('pads the symbol displacement to the pointer width', () => {
    const lines = exceptionRecordLines({ ...base, code: 0x40080201, address: 0x77942822n, numberParameters: 3, parameters: [0x80040155n, 0x52n, 0xdddf680n] }, 4, symbolizer);
    expect(lines).toEqual([
      'ExceptionAddress: 77942822 (KERNELBASE!RaiseException+0x00000062)',
      '   ExceptionCode: 40080201 (Windows Runtime Originate Error)',
      '  ExceptionFlags: 00000000',
      'NumberParameters: 3',
      '   Parameter[0]: 80040155',
      '   Parameter[1]: 00000052',
      '   Parameter[2]: 0dddf680',
    ]);
  });

  it('prints 64-bit values without a backtick and explains access violations', () => {
    const lines = exceptionRecordLines({ ...base, code: 0xc0000005, address: 0x7ff6ecfc1002n, parameters: [0n, 0xffffffffffffffffn] }, 8, symbolizer);
    expect(lines).toEqual([
      '*** ERROR: Module load completed but symbols could not be loaded for app.exe',
      'ExceptionAddress: 00007ff6ecfc1002 (app+0x0000000000001002)',
      '   ExceptionCode: c0000005 (Access violation)',
      '  ExceptionFlags: 00000000',
      'NumberParameters: 2',
      '   Parameter[0]: 0000000000000000',
      '   Parameter[1]: ffffffffffffffff',
      'Attempt to read from address ffffffffffffffff',
    ]);
    const exec = exceptionRecordLines({ ...base, code: 0xc0000005, address: 0x1cn, parameters: [8n, 0x1cn] }, 4, symbolizer);
    expect(exec[0]).toBe('ExceptionAddress: 0000001c');
    expect(exec.at(-1)).toBe('Attempt to execute non-executable address 0000001c');
    const odd = exceptionRecordLines({ ...base, code: 0xc0000005, address: 0x1cn, parameters: [3n, 0x1cn] }, 4, symbolizer);
    expect(odd.at(-1)).toBe('   Parameter[1]: 0000001c');
  });

  it('names fast-fail subcodes and MSVC throw records, and leaves unknown codes unnamed', () => {
    const ff = exceptionRecordLines({ code: 0xc0000409, flags: 1, address: 0x77942822n, numberParameters: 1, parameters: [7n] }, 4, symbolizer);
    expect(ff.slice(1)).toEqual([
      '   ExceptionCode: c0000409 (Stack buffer overrun)',
      '  ExceptionFlags: 00000001',
      'NumberParameters: 1',
      '   Parameter[0]: 00000007',
      'Subcode: 0x7 FAST_FAIL_FATAL_APP_EXIT',
    ]);
    const unknownSubcode = exceptionRecordLines({ code: 0xc0000409, flags: 1, address: 0n, numberParameters: 1, parameters: [0x99n] }, 4, symbolizer);
    expect(unknownSubcode.at(-1)).toBe('Subcode: 0x99');
    const eh = exceptionRecordLines({ code: 0xe06d7363, flags: 1, address: 0n, numberParameters: 3, parameters: [0x19930520n, 0x55f0c4n, 0x13bd278n] }, 4, symbolizer);
    expect(eh.slice(-2)).toEqual(['  pExceptionObject: 0055f0c4', '  _s_ThrowInfo    : 013bd278']);
    const unknown = exceptionRecordLines({ code: 0xc000070a, flags: 0, address: 0n, numberParameters: 0, parameters: [] }, 4, symbolizer);
    expect(unknown.slice(1)).toEqual(['   ExceptionCode: c000070a', '  ExceptionFlags: 00000000', 'NumberParameters: 0']);
  });
});
