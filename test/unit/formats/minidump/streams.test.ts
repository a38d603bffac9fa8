import { describe, expect, it } from 'vitest';
import { decodeCodeView } from '../../../../src/formats/minidump/modules.js';
import { openMinidumpBytes, USER_FULL_DUMP_LINE, USER_MINI_DUMP_LINE } from '../../../../src/target/user/minidump-target.js';
import { MinidumpBuilder } from '../../../builders/minidump-builder.js';
import { recordingModules } from './fake-modules.js';

function open(b: MinidumpBuilder) {
  const rec = recordingModules();
  const target = openMinidumpBytes(b.build(), { moduleFactory: rec.factory });
  return { target, infos: rec.infos };
}

describe('minidump threads and contexts', () => {
  it('decodes x64 thread contexts register by register', () => {
    const regs = {
      rax: 0x1111n, rcx: 0x2222n, rdx: 0x3333n, rbx: 0x4444n, rsp: 0x000000fc218fea60n, rbp: 0x6666n,
      rsi: 0x7777n, rdi: 0x8888n, r8: 0xa0n, r9: 0xfefefefefefefefen, r10: 0xan, r11: 0xbn, r12: 0xcn,
      r13: 0xdn, r14: 0xen, r15: 0xfn, rip: 0x00007ff61bcfa9a3n, efl: 0x246n,
      cs: 0x33n, ds: 0x2bn, es: 0x2bn, fs: 0x53n, gs: 0x2bn, ss: 0x2bn,
    };
    const { target } = open(
      new MinidumpBuilder('x64')
        .thread({ id: 0x1708, suspendCount: 1, teb: 0xfc216fd000n, context: { regs } })
        .miscInfo({ processId: 6256 }),
    );
    const u = target.units[0]!;
    for (const [name, value] of Object.entries(regs)) expect(u.context.get(name), name).toBe(value);
    expect(u.context.source).toBe('thread');
    expect(u).toMatchObject({ index: 0, threadId: 0x1708, processId: 6256, teb: 0xfc216fd000n, suspendCount: 1 });
    expect(u.contextNote).toBeUndefined();
    expect(target.arch).toBe('x64');
    expect(target.pointerSize).toBe(8);
  });

  it('decodes x86 thread contexts', () => {
    const regs = {
      eax: 0x45n, ebx: 0x7c80abc1n, ecx: 0x12fe94n, edx: 0x42bc58n, esi: 2n, edi: 0xa28n, ebp: 0x12fe88n,
      esp: 0x12fe84n, eip: 0x40429en, efl: 0x10246n, cs: 0x1bn, ds: 0x23n, es: 0x23n, fs: 0x3bn, gs: 0n, ss: 0x23n,
    };
    const { target } = open(new MinidumpBuilder('x86').thread({ id: 0xbf4, teb: 0x7ffdf000n, context: { regs } }));
    const c = target.units[0]!.context;
    for (const [name, value] of Object.entries(regs)) expect(c.get(name), name).toBe(value);
    expect(target.pointerSize).toBe(4);
  });

  it('keeps threads in index order and gives a zero context with a note when none is saved', () => {
    const b = new MinidumpBuilder('x64');
    for (let i = 0; i < 300; i++) b.thread({ id: 0x100 + i, context: { regs: { rip: BigInt(0x1000 + i) } } });
    b.thread({ id: 0x999 });
    b.thread({ id: 0x99a, context: { raw: new Uint8Array(0x40) } });
    const { target } = open(b);
    expect(target.units).toHaveLength(302);
    expect(target.units[299]!.threadId).toBe(0x100 + 299);
    expect(target.units[299]!.context.ip).toBe(0x1000n + 299n);
    expect(target.units[300]!.contextNote).toBe('no context was saved');
    expect(target.units[300]!.context.ip).toBe(0n);
    expect(target.units[301]!.contextNote).toBe('x64 CONTEXT is 64 bytes, too short to hold Rip');
    expect(target.warnings).toEqual(['thread 301 (id 99a) CONTEXT: x64 CONTEXT is 64 bytes, too short to hold Rip']);
    expect(target.initialUnit).toBe(0);
  });

  it('reads ThreadExList when there is no ThreadList', () => {
    const b = new MinidumpBuilder('x64').thread({ id: 7, context: { regs: { rip: 0x77n } } });
    b.threadEx = true;
    const { target } = open(b);
    expect(target.units.map((u) => [u.threadId, u.context.ip])).toEqual([[7, 0x77n]]);
  });

  it('decodes the XSTATE / CET_U tail of an extended x64 context', () => {
    const { target } = open(
      new MinidumpBuilder('x64').thread({ id: 1, context: { regs: { rip: 0x1234n }, cetU: { msr: 1n, ssp: 0xcbc83fefc8n } } }),
    );
    expect(target.units[0]!.context.ip).toBe(0x1234n);
    expect(target.threads[0]!.xstate).toEqual({ mask: 0x800n, compactionMask: 0x8000000000000800n, cetU: { cetUMsr: 1n, ssp: 0xcbc83fefc8n } });
  });

  it('attaches thread names', () => {
    const { target } = open(
      new MinidumpBuilder('x86').thread({ id: 0x19a4 }).thread({ id: 0x2ae0 }).threadName(0x2ae0, 'overflow thread'),
    );
    expect(target.threadNames.get(0x2ae0)).toBe('overflow thread');
    expect(target.threads.map((t) => t.name)).toEqual([undefined, 'overflow thread']);
  });
});

describe('minidump modules', () => {
  it('builds ModuleInfo with names, versions and CodeView identities', () => {
    const { target, infos } = open(
      new MinidumpBuilder('x64')
        .module({
          base: 0x7ff806ab0000n, size: 0x1e1000, path: 'C:\\Windows\\System32\\ntdll.dll', checksum: 0x1f4b2a, timestamp: 0x5b4bca1d,
          fileVersion: [10, 0, 17134, 191], productVersion: [10, 0, 17134, 1],
          cv: { type: 'RSDS', guid: '5BADA6763A2DF568BAEAC8F70DA0DF3C', age: 1, pdb: 'ntdll.pdb' },
        })
        .module({ base: 0x400000n, size: 0x2000, path: 'old.exe', cv: { type: 'NB10', signature: 0x3a1b2c3d, age: 2, pdb: 'old.pdb' } })
        .module({ base: 0x500000n, size: 0x1000, path: '/usr/lib/noext' }),
    );
    expect(infos[0]).toEqual({
      name: 'ntdll', imageName: 'ntdll.dll', imagePath: 'C:\\Windows\\System32\\ntdll.dll', base: 0x7ff806ab0000n,
      size: 0x1e1000, timestamp: 0x5b4bca1d, checksum: 0x1f4b2a,
      codeView: { pdbName: 'ntdll.pdb', guid: '5BADA6763A2DF568BAEAC8F70DA0DF3C', age: 1 },
      fileVersion: '10.0.17134.191', productVersion: '10.0.17134.1',
    });
    expect(infos[1]!.codeView).toEqual({ pdbName: 'old.pdb', guid: '3A1B2C3D', age: 2 });
    expect(infos[1]!.fileVersion).toBeUndefined();
    expect(infos[2]).toMatchObject({ name: 'noext', imageName: 'noext' });
    expect(target.modules.map((m) => m.name)).toEqual(['ntdll', 'old', 'noext']);
  });

  it('decodes the RSDS GUID in symbol-server order', () => {
    const rec = new Uint8Array(0x18 + 4);
    const dv = new DataView(rec.buffer);
    dv.setUint32(0, 0x53445352, true);
    dv.setUint32(4, 0x5a9832e5, true);
    dv.setUint16(8, 0x2872, true);
    dv.setUint16(10, 0x41c1, true);
    rec.set([0x83, 0x8e, 0xd9, 0x89, 0x14, 0xe9, 0xb7, 0xff], 12);
    dv.setUint32(0x14, 1, true);
    rec.set([0x61, 0x62, 0x63, 0], 0x18);
    expect(decodeCodeView(rec)).toEqual({ guid: '5A9832E5287241C1838ED98914E9B7FF', age: 1, pdbName: 'abc' });
    expect(decodeCodeView(new Uint8Array([1, 2, 3, 4, 5]))).toBeUndefined();
  });

  it('lists unloaded modules', () => {
    const { target } = open(
      new MinidumpBuilder('x64').unloadedModule({ base: 0x7ff900000000n, size: 0x5000, path: 'C:\\x\\gone.dll', timestamp: 5, checksum: 6 }),
    );
    expect(target.unloadedModules).toEqual([
      { name: 'gone', imageName: 'gone.dll', imagePath: 'C:\\x\\gone.dll', base: 0x7ff900000000n, size: 0x5000, checksum: 6, timestamp: 5 },
    ]);
  });
});

describe('minidump exception, system and misc streams', () => {
  it('exports the exception record and selects its thread', () => {
    const { target } = open(
      new MinidumpBuilder('x86')
        .thread({ id: 1 })
        .thread({ id: 0xbf4, context: { regs: { eip: 0x7c90eb94n } } })
        .exception({
          threadId: 0xbf4, code: 0xc0000005, flags: 0, address: 0x40429en,
          // High halves of x86 parameters are garbage in some writers (minidump_32bit_crash_addr.dmp).
          parameters: [1n, 0xffffffff00000045n],
          context: { regs: { eip: 0x40429en, esp: 0x12fe84n } },
        }),
    );
    expect(target.initialUnit).toBe(1);
    const ex = target.exception!;
    expect(ex).toMatchObject({ threadId: 0xbf4, threadIndex: 1, code: 0xc0000005, flags: 0, address: 0x40429en, record: 0n });
    expect(ex.parameters).toEqual([1n, 0x45n]);
    expect(ex.context!.ip).toBe(0x40429en);
    expect(ex.context!.source).toBe('exception');
    expect(target.units[1]!.context.ip).toBe(0x7c90eb94n);
  });

  it('caps NumberParameters at 15 with a warning', () => {
    const { target } = open(
      new MinidumpBuilder('x64').thread({ id: 1 }).exception({ threadId: 9, code: 0x80000003, address: 1n, numberParameters: 99 }),
    );
    expect(target.exception!.parameters).toHaveLength(15);
    expect(target.exception!.threadIndex).toBeUndefined();
    expect(target.initialUnit).toBe(0);
    expect(target.warnings).toContain('Exception stream: NumberParameters 99 exceeds 15; only 15 are read');
  });

  it('formats the OS, product, build, session-time and uptime lines', () => {
    const b = new MinidumpBuilder('x64')
      .thread({ id: 1 })
      .systemInfo({ major: 10, minor: 0, build: 17134, processors: 4, suiteMask: 0x110, productType: 1 })
      .miscInfo({
        processId: 0x490, processCreateTime: 1540360288 - 1576, buildString: '17134.1.amd64fre.rs4_release.180410-1804',
        timeZone: { id: 2, bias: -60, standardBias: 0, daylightBias: -60 },
      });
    b.header.timestamp = 1540360288; // 2018-10-24 05:51:28 UTC
    const { target } = open(b);
    expect(target.system).toEqual({
      versionLine: 'Windows 10 Version 17134 MP (4 procs) Free x64',
      productLine: 'Product: WinNt, suite: TerminalServer SingleUserTS',
      buildLine: '17134.1.amd64fre.rs4_release.180410-1804',
      debugSessionTime: 'Wed Oct 24 07:51:28.000 2018 (UTC + 2:00)',
      processUptime: '0 days 0:26:16.000',
      buildNumber: 17134,
    });
    expect(target.processId).toBe(0x490);
    expect(target.dumpKindLine).toBe(USER_MINI_DUMP_LINE);
  });

  it('prints UTC and UP / x86 compatible / service pack for an old single-processor dump', () => {
    const b = new MinidumpBuilder('x86')
      .thread({ id: 1 })
      .systemInfo({ major: 5, minor: 1, build: 2600, processors: 1, csd: 'Service Pack 2' })
      .miscInfo({ size: 24, processId: 3932, processCreateTime: 0x45d35f73 });
    b.header.timestamp = 0x45d35f73;
    const { target } = open(b);
    expect(target.system.versionLine).toBe('Windows XP Version 2600 (Service Pack 2) UP Free x86 compatible');
    expect(target.system.debugSessionTime).toBe('Wed Feb 14 19:13:55.000 2007 (UTC + 0:00)');
    expect(target.system.processUptime).toBe('0 days 0:00:00.000');
    expect(target.system.buildLine).toBeUndefined();
  });

  it('ignores MiscInfo fields whose Flags1 bit is clear', () => {
    const { target } = open(new MinidumpBuilder('x64').thread({ id: 1 }).miscInfo({ flags: 0, processId: 55, processCreateTime: 5 }));
    expect(target.processId).toBeUndefined();
    expect(target.units[0]!.processId).toBeUndefined();
    expect(target.system.processUptime).toBeUndefined();
  });

  it('reads the handle count and the Breakpad assertion', () => {
    const { target } = open(
      new MinidumpBuilder('x64')
        .thread({ id: 1 })
        .handles(147)
        .assertion({ expression: 'format != nullptr', function: 'common_vfprintf', file: 'output.cpp', line: 32, type: 1 }),
    );
    expect(target.handleCount).toBe(147);
    expect(target.assertion).toEqual({ expression: 'format != nullptr', function: 'common_vfprintf', file: 'output.cpp', line: 32, type: 'invalid-parameter' });
  });

  it('says "with Full Memory" when the header has MiniDumpWithFullMemory', () => {
    const full = new MinidumpBuilder('x64').thread({ id: 1 }).memory64Block(0x10000n, new Uint8Array(16));
    full.header.flags = 0x2n;
    expect(open(full).target.dumpKindLine).toBe(USER_FULL_DUMP_LINE);
    const notFull = new MinidumpBuilder('x64').thread({ id: 1 }).memory64Block(0x10000n, new Uint8Array(16));
    notFull.header.flags = 0x200n; // MiniDumpWithPrivateReadWriteMemory
    expect(open(notFull).target.dumpKindLine).toBe(USER_MINI_DUMP_LINE);
  });
});
