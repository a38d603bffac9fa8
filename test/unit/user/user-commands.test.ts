import { describe, expect, it } from 'vitest';
import { NO_EXCEPTION_CONTEXT } from '../../../commands/ecxr.js';
import { NO_STORED_RECORD } from '../../../commands/exr.js';
import { userEventLines } from '../../../src/format/banner.js';
import { sessionOf, x64QuietDump, x86CrashDump } from './synthetic-dumps.js';

describe('| and .lastevent', () => {
  it('shows the one process and its image', async () => {
    const { run } = sessionOf(x86CrashDump());
    expect(await run('|')).toEqual(['.  0\tid: 1234\texamine\tname: C:\\app\\app.exe']);
    expect(await run('|.')).toEqual(['.  0\tid: 1234\texamine\tname: C:\\app\\app.exe']);
  });

  it('names the stored exception with the dump time', async () => {
    const { run } = sessionOf(x86CrashDump());
    expect(await run('.lastevent')).toEqual([
      'Last event: 1234.20: Access violation - code c0000005 (first/second chance not available)',
      '  debugger time: Wed Feb 14 19:13:55.000 2007 (UTC + 0:00)',
    ]);
  });

  it('says when the dump has no exception', async () => {
    const { run } = sessionOf(x64QuietDump());
    expect((await run('.lastevent'))[0]).toBe('Last event: 32fc.2a6c: no exception is stored in this dump');
  });
});

describe('.ecxr', () => {
  it('switches to the exception context until ~Ns resets it', async () => {
    const { session, run } = sessionOf(x86CrashDump());
    expect(session.currentIndex).toBe(1);
    const lines = await run('.ecxr');
    expect(lines.slice(0, 4)).toEqual([
      'eax=00000045 ebx=00000000 ecx=00000000 edx=00000000 esi=00000000 edi=00000000',
      'eip=00401234 esp=0012ff00 ebp=0012ff10 iopl=0         nv up ei pl zr na pe nc',
      'cs=001b  ss=0023  ds=0023  es=0023  fs=003b  gs=0000             efl=00010246',
      'app!CrashHere+0x34:',
    ]);
    // cdb right-aligns an x86 EA annotation at column 79; only the text on either side is ours to check.
    expect(lines[4]).toMatch(/^00401234 c70000000000    mov     dword ptr \[eax\],0 +ds:0023:00000045=\?{8}$/);
    expect(lines).toHaveLength(5);
    expect(session.registers().ip).toBe(0x401234n);
    expect((await run('kv'))[0]).toBe('  *** Stack trace for last set context - .thread/.cxr resets it');
    expect((await run('r'))[0]).toBe('Last set context:');
    await run('~0s');
    expect(session.scope).toBeUndefined();
    expect(session.registers().ip).toBe(0x7c90eb94n);
    expect(await run('.excr')).toHaveLength(5);
  });

  it('says so when the dump has no exception context', async () => {
    const { session, run } = sessionOf(x64QuietDump());
    expect(await run('.ecxr')).toEqual(NO_EXCEPTION_CONTEXT);
    expect(session.scope).toBeUndefined();
  });
});

describe('.exr', () => {
  it('-1 shows the stored record with the access-violation line', async () => {
    const { run } = sessionOf(x86CrashDump());
    expect(await run('.exr -1')).toEqual([
      'ExceptionAddress: 00401234 (app!CrashHere+0x00000034)',
      '   ExceptionCode: c0000005 (Access violation)',
      '  ExceptionFlags: 00000000',
      'NumberParameters: 2',
      '   Parameter[0]: 00000001',
      '   Parameter[1]: 00000045',
      'Attempt to write to address 00000045',
    ]);
    expect(await run('.exr ffffffff')).toHaveLength(7);
  });

  it('reads an EXCEPTION_RECORD from memory', async () => {
    const { run } = sessionOf(x86CrashDump());
    expect(await run('.exr 12fe00')).toEqual([
      // Outside every module: no symbol in parentheses.
      'ExceptionAddress: 7c812afb',
      '   ExceptionCode: e06d7363 (C++ EH exception)',
      '  ExceptionFlags: 00000001',
      'NumberParameters: 3',
      '   Parameter[0]: 19930520',
      '   Parameter[1]: 0012fe80',
      '   Parameter[2]: 00420000',
      '  pExceptionObject: 0012fe80',
      '  _s_ThrowInfo    : 00420000',
    ]);
    expect(await run('.exr 500000')).toEqual(['Cannot read exception record at 00500000: the memory is not in the dump']);
    expect((await run('.exr'))[0]).toMatch(/\^ Syntax error in '\.exr'/);
  });

  it('says when the dump stores no exception', async () => {
    const { run } = sessionOf(x64QuietDump());
    expect(await run('.exr -1')).toEqual([NO_STORED_RECORD]);
  });
});

describe('!teb and !peb', () => {
  it('formats a 32-bit TEB, marking fields beyond the dump', async () => {
    const { run } = sessionOf(x86CrashDump());
    expect(await run('!teb')).toEqual([
      'TEB at 7ffde000',
      '    ExceptionList:        0022ffe0',
      '    StackBase:            00230000',
      '    StackLimit:           0022e000',
      '    SubSystemTib:         00000000',
      '    FiberData:            00001e00',
      '    ArbitraryUserPointer: 00000000',
      '    Self:                 7ffde000',
      '    EnvironmentPointer:   00000000',
      '    ClientId:             00001234 . 00000020',
      '    RpcHandle:            00000000',
      '    Tls Storage:          7ffde02c',
      '    PEB Address:          7ffd5000',
      '    LastErrorValue:       126',
      '    LastStatusValue:      c0000135',
      '    Count Owned Locks:    0',
      '    HardErrorMode:        ?',
    ]);
    expect(await run('!teb 7ffdf000')).toEqual([
      'TEB at 7ffdf000',
      "    The TEB's memory (7ffdf000) is not in the dump; this minidump was written without thread data.",
    ]);
  });

  it('formats a 64-bit TEB', async () => {
    const { run } = sessionOf(x64QuietDump());
    const lines = await run('!teb');
    expect(lines[0]).toBe('TEB at 000000addac91000');
    expect(lines).toContain('    ClientId:             00000000000032fc . 0000000000002a6c');
    expect(lines).toContain('    LastErrorValue:       2');
    expect(lines).toContain('    LastStatusValue:      c00000bb');
    expect(lines.at(-1)).toBe('    HardErrorMode:        0');
  });

  it('formats the PEB found through the TEB, with its process parameters', async () => {
    const { run } = sessionOf(x86CrashDump());
    expect(await run('!peb')).toEqual([
      'PEB at 7ffd5000',
      '    InheritedAddressSpace:    No',
      '    ReadImageFileExecOptions: No',
      '    BeingDebugged:            Yes',
      '    ImageBaseAddress:         00400000',
      '    Ldr                       7c97e1a0',
      '    *** unable to read Ldr table at 7c97e1a0',
      '    SubSystemData:     00000000',
      '    ProcessHeap:       00140000',
      '    ProcessParameters: 00020000',
      "    CurrentDirectory:  ''",
      "    WindowTitle:  '< Name not readable >'",
      "    ImageFile:    'C:\\app\\app.exe'",
      "    CommandLine:  '\"C:\\app\\app.exe\" -crash'",
      "    DllPath:      ''",
      '    Environment:  00030000',
    ]);
  });

  it('says why when the PEB or the TEB leading to it is not in the dump', async () => {
    const quiet = sessionOf(x64QuietDump());
    expect(await quiet.run('!peb')).toEqual([
      'PEB at 000000addac90000',
      "    The PEB's memory (000000addac90000) is not in the dump; this minidump was written without process data.",
    ]);
    const crash = sessionOf(x86CrashDump());
    await crash.run('~0s');
    expect(await crash.run('!peb')).toEqual(['crashkd: cannot find the PEB: the TEB at 7ffdf000 is not in the dump; give its address (!peb Address)']);
    expect((await crash.run('!peb 7ffd5000'))[4]).toBe('    ImageBaseAddress:         00400000');
  });
});

describe('the user-mode banner tail', () => {
  it('announces the stored exception, then the event thread registers', () => {
    const { session } = sessionOf(x86CrashDump());
    expect(userEventLines(session)).toEqual([
      'Loading unloaded module list',
      '.',
      'This dump file has an exception of interest stored in it.',
      'The stored exception information can be accessed via .ecxr.',
      '(1234.20): Access violation - code c0000005 (first/second chance not available)',
      'eax=00000000 ebx=00000000 ecx=00000000 edx=00000000 esi=00000000 edi=00000000',
      'eip=7c90eb94 esp=0022f000 ebp=0022f010 iopl=0         nv up di pl nz na po nc',
      'cs=0000  ss=0000  ds=0000  es=0000  fs=0000  gs=0000             efl=00000000',
      'ntdll+0xeb94:',
      '7c90eb94 ??              ???',
    ]);
  });

  it('shows only the registers when no exception is stored', () => {
    const { session } = sessionOf(x64QuietDump());
    const lines = userEventLines(session);
    expect(lines[0]).toBe('rax=0000000000000000 rbx=0000000000000000 rcx=0000000000000000');
    expect(lines.some((l) => l.includes('exception of interest'))).toBe(false);
  });
});
