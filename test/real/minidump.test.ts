import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import type { ModuleInfo } from '../../src/target/module-info.js';
import { isMinidump, openMinidump, type MinidumpTarget } from '../../src/target/user/minidump-target.js';
import { recordingModules } from '../unit/formats/minidump/fake-modules.js';
import { dumpOutValue, findDumps, readDumpOut, readLldb, TESTDATA } from './minidump-references.js';

const present = existsSync(TESTDATA);
if (!present) console.warn(`skipping real minidump tests: ${TESTDATA} is absent`);

const BP = path.join(TESTDATA, 'google+breakpad/src/processor/testdata');
const RM = path.join(TESTDATA, 'rust-minidump+rust-minidump/testdata');
const LL = path.join(TESTDATA, 'llvm-mirror+lldb');

function head(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  const b = new Uint8Array(8);
  readSync(fd, b, 0, 8, 0);
  closeSync(fd);
  return b;
}

function load(file: string): { t: MinidumpTarget; infos: ModuleInfo[] } {
  const rec = recordingModules();
  return { t: openMinidump(file, { moduleFactory: rec.factory }), infos: rec.infos };
}

describe.skipIf(!present)('real minidumps: every file', () => {
  const dumps = findDumps(TESTDATA).filter((f) => isMinidump(head(f)));

  it('finds the minidumps of the test data set', () => {
    expect(dumps.length).toBeGreaterThanOrEqual(17);
    expect(findDumps(TESTDATA).some((f) => f.endsWith('triage_x64.dmp') && !isMinidump(head(f)))).toBe(true);
  });

  it.each(dumps.map((f) => [path.relative(TESTDATA, f), f]))('%s opens or fails with one FormatError', (_name, file) => {
    try {
      const { t } = load(file);
      expect(t.kind).toBe('user');
      expect(['x64', 'x86']).toContain(t.arch);
      expect(t.initialUnit).toBeLessThan(Math.max(1, t.units.length));
      t.close();
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('rejects the two malformed rust-minidump files with one clear line', () => {
    for (const [file, rva] of [['invalid-range.dmp', '0x2'], ['invalid-record-count.dmp', '0x1e']] as const) {
      let error: unknown;
      try {
        load(path.join(RM, file));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FormatError);
      expect((error as FormatError).message).toBe(`minidump header: StreamDirectoryRva ${rva} overlaps the 32-byte header`);
    }
  });
});

describe.skipIf(!present)('real minidumps against lldb', () => {
  const withLldb = findDumps(TESTDATA).filter((f) => existsSync(`${f}.lldb.txt`) && isMinidump(head(f)));

  it.each(withLldb.filter((f) => !/invalid-r/.test(f)).map((f) => [path.basename(f), f]))('%s: pid, threads, modules, registers', (_n, file) => {
    const ref = readLldb(`${file}.lldb.txt`);
    const { t, infos } = load(file);
    expect(t.processId).toBe(ref.pid);
    expect(t.units.map((u) => u.threadId)).toEqual(ref.threads.map((r) => r.tid));
    const selected = ref.threads.findIndex((r) => r.selected);
    if (selected >= 0) expect(t.initialUnit).toBe(selected);
    t.units.forEach((u, i) => {
      const isEvent = t.exception?.threadIndex === i && t.exception.context;
      const pc = isEvent ? t.exception!.context!.ip : u.context.ip;
      expect(pc, `thread ${i} pc`).toBe(ref.threads[i]!.pc);
    });
    expect(infos.map((m) => [m.base, m.imagePath, m.codeView?.guid, m.codeView?.age])).toEqual(
      ref.images.map((r) => [r.base, r.path, r.guid, r.age]),
    );
    const event = t.exception?.context ?? t.units[t.initialUnit]!.context;
    for (const [name, value] of ref.registers) {
      if (name === 'fs_base' || name === 'gs_base') continue; // lldb prints these wrongly (MANIFEST)
      // lldb-22 does not carry SegDs/SegEs over from an x64 minidump CONTEXT; it always shows 0.
      if (t.arch === 'x64' && (name === 'ds' || name === 'es')) continue;
      const ours = event.get(name === 'rflags' || name === 'eflags' ? 'efl' : name);
      expect(ours, name).toBe(value);
    }
    t.close();
  });
});

describe.skipIf(!present)('minidump2.dmp against breakpad minidump_dump', () => {
  const blocks = readDumpOut(path.join(BP, 'minidump2.dump.out'));
  const of = (kind: string) => blocks.filter((b) => b.kind === kind);
  const num = (v: string | undefined): bigint => BigInt(dumpOutValue(v));

  it('matches header, threads and thread contexts', () => {
    const { t } = load(path.join(BP, 'minidump2.dmp'));
    const header = of('MDRawHeader')[0]!;
    expect(BigInt(t.dumpTime)).toBe(num(header.fields.get('time_date_stamp')));
    expect(t.dumpFlags).toBe(num(header.fields.get('flags')));
    const threads = of('MDRawThread');
    const contexts = of('MDRawContextX86');
    expect(t.units).toHaveLength(threads.length);
    threads.forEach((th, i) => {
      const u = t.units[i]!;
      expect(BigInt(u.threadId!)).toBe(num(th.fields.get('thread_id')));
      expect(u.teb).toBe(num(th.fields.get('teb')));
      expect(BigInt(u.suspendCount!)).toBe(num(th.fields.get('suspend_count')));
      expect(t.threads[i]!.stackStart).toBe(num(th.fields.get('stack.start_of_memory_range')));
      expect(BigInt(t.threads[i]!.stackSize)).toBe(num(th.fields.get('stack.memory.data_size')));
      const c = contexts[i]!.fields;
      for (const r of ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp', 'eip', 'cs', 'ds', 'es', 'fs', 'gs', 'ss']) {
        expect(u.context.get(r), `thread ${i} ${r}`).toBe(num(c.get(r)));
      }
      expect(u.context.get('efl')).toBe(num(c.get('eflags')));
    });
  });

  it('matches every module: base, size, path, timestamp, checksum, CodeView id, version', () => {
    const { infos } = load(path.join(BP, 'minidump2.dmp'));
    const mods = of('MDRawModule');
    expect(infos).toHaveLength(13);
    mods.forEach((m, i) => {
      const info = infos[i]!;
      const f = m.fields;
      expect(info.base).toBe(num(f.get('base_of_image')));
      expect(BigInt(info.size)).toBe(num(f.get('size_of_image')));
      expect(BigInt(info.timestamp)).toBe(num(f.get('time_date_stamp')));
      expect(BigInt(info.checksum)).toBe(num(f.get('checksum')));
      expect(info.imagePath).toBe(dumpOutValue(f.get('(code_file)')));
      expect(info.codeView!.pdbName).toBe(dumpOutValue(f.get('(cv_record).pdb_file_name')));
      expect(`${info.codeView!.guid}${info.codeView!.age.toString(16).toUpperCase()}`).toBe(dumpOutValue(f.get('(debug_identifier)')));
      expect(info.fileVersion ?? '').toBe(dumpOutValue(f.get('(version)')));
    });
    expect(infos[0]).toMatchObject({ name: 'test_app', imageName: 'test_app.exe', imagePath: 'c:\\test_app.exe', base: 0x400000n, size: 0x2d000 });
    expect(infos[12]).toMatchObject({ name: 'psapi', base: 0x76bf0000n, size: 0xb000, fileVersion: '5.1.2600.2180' });
  });

  it('matches the memory list and reads the same bytes', () => {
    const { t } = load(path.join(BP, 'minidump2.dmp'));
    const regions = of('MDMemoryDescriptor');
    expect(regions).toHaveLength(3);
    const sorted = regions
      .map((r) => [num(r.fields.get('start_of_memory_range')), Number(num(r.fields.get('memory.data_size')))] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(t.memory.all.map((r) => [r.start, r.size])).toEqual(sorted);
    // rust-minidump test_thread_list: u64 at 0x12f31c and at 0x12fff8 of thread 0's stack.
    const q = (a: bigint): bigint => new DataView(t.memory.readPartial(a, 8).buffer.slice(0)).getBigUint64(0, true);
    expect(q(0x12f31cn)).toBe(0x7c90e9c000000000n);
    expect(q(0x12fff8n)).toBe(0x405443n);
    expect(t.memory.readPartial(0x12ffffn, 2)).toHaveLength(1);
  });

  it('matches the exception, system info and misc info', () => {
    const { t } = load(path.join(BP, 'minidump2.dmp'));
    const ex = of('MDException')[0]!.fields;
    expect(BigInt(t.exception!.threadId)).toBe(num(ex.get('thread_id')));
    expect(BigInt(t.exception!.code)).toBe(num(ex.get('exception_record.exception_code')));
    expect(t.exception!.address).toBe(num(ex.get('exception_record.exception_address')));
    expect(t.exception!.parameters).toEqual([num(ex.get('exception_record.exception_information[ 0]')), num(ex.get('exception_record.exception_information[ 1]'))]);
    const exContext = of('MDRawContextX86')[2]!.fields;
    expect(t.exception!.context!.ip).toBe(num(exContext.get('eip')));
    expect(t.exception!.context!.get('esp')).toBe(num(exContext.get('esp')));
    expect(t.initialUnit).toBe(0);
    expect(t.processId).toBe(Number(num(of('MDRawMiscInfo')[0]!.fields.get('process_id'))));
    expect(t.system).toEqual({
      versionLine: 'Windows XP Version 2600 (Service Pack 2) UP Free x86 compatible',
      productLine: 'Product: WinNt, suite: SingleUserTS',
      debugSessionTime: 'Wed Feb 14 19:13:55.000 2007 (UTC + 0:00)',
      processUptime: '0 days 0:00:00.000',
      buildNumber: 2600,
    });
    expect(t.dumpKindLine).toBe('User Mini Dump File: Only registers, stack and portions of memory are available');
    expect(t.breakpadInfo).toEqual({ dumpThreadId: 0x11c0, requestingThreadId: 0xbf4 });
    expect(t.warnings).toEqual([]);
  });

  it('masks the garbage high half of x86 exception parameters (minidump_32bit_crash_addr.dmp)', () => {
    const { t } = load(path.join(BP, 'minidump_32bit_crash_addr.dmp'));
    expect(t.exception!.parameters).toEqual([1n, 0x45n]);
  });
});

describe.skipIf(!present)('real minidumps: concrete values', () => {
  it('sigsegv.dmp (lldb, x64)', () => {
    const { t, infos } = load(path.join(LL, 'test/Shell/Minidump/Windows/Sigsegv/Inputs/sigsegv.dmp'));
    expect(t.arch).toBe('x64');
    expect(t.units.map((u) => [u.threadId, u.processId])).toEqual([[0x2a6c, 13052]]);
    expect(t.exception).toMatchObject({ code: 0xc0000005, address: 0x7ff7a13110d9n, threadIndex: 0, parameters: [1n, 0n] });
    expect(t.exception!.context!.get('rsp')).toBe(0xaddabaf6b0n);
    expect(infos.map((m) => m.name)).toEqual(['sigsegv', 'ntdll', 'kernel32', 'KERNELBASE']);
    expect(infos[0]!.codeView).toEqual({ guid: '7DD47A9FC2E8499AA78EC14AE2C965A2', age: 1, pdbName: 'C:\\temp\\sigsegv.pdb' });
    expect(t.system.versionLine).toBe('Windows 10 Version 16299 MP (48 procs) Free x64');
    expect(t.system.buildLine).toBe('16299.637.amd64fre.rs3_release_svc.180808-1748');
    expect(t.dumpKindLine).toBe('User Mini Dump File: Only registers, stack and portions of memory are available');
    // The faulting instruction bytes are in the dump (lldb's memory region 0x7ff7a1311059-0x7ff7a1311159).
    expect(t.memory.readPartial(0x7ff7a1311059n, 0x100)).toHaveLength(0x100);
    expect(t.memory.readPartial(0x7ff7a1311159n, 1)).toHaveLength(0);
  });

  it('invalid-parameter.dmp (rust-minidump, x64, assertion stream)', () => {
    const { t, infos } = load(path.join(RM, 'invalid-parameter.dmp'));
    expect(t.units).toHaveLength(6);
    expect(infos).toHaveLength(31);
    expect(t.units.map((u) => u.threadId)).toEqual([0x1708, 0x1350, 0x3720, 0x2de0, 0x2f0c, 0x3384]);
    expect(t.assertion).toEqual({
      expression: 'format != nullptr',
      function: 'common_vfprintf',
      file: 'minkernel\\crts\\ucrt\\src\\appcrt\\stdio\\output.cpp',
      line: 32,
      type: 'invalid-parameter',
    });
    expect(t.exception).toMatchObject({ code: 0xc000000d, address: 0n, threadIndex: 0 });
    expect(t.exception!.context!.ip).toBe(0x7ff61bcfa9a3n);
    expect(t.system.versionLine).toBe('Windows 10 Version 17134 MP (16 procs) Free x64');
    expect(infos[0]).toMatchObject({ name: 'CrashTest', imageName: 'CrashTest.exe', base: 0x7ff61bc80000n, codeView: { guid: '368A7C3A63A644D9BF659B2F4799A1C2', age: 3 } });
  });

  it('tiny-exe-with-cet-xsave.dmp (crashpad, x64, XSTATE with CET)', () => {
    const { t, infos } = load(path.join(BP, 'tiny-exe-with-cet-xsave.dmp'));
    expect(t.units).toHaveLength(1);
    expect(t.exception).toBeUndefined();
    expect(t.initialUnit).toBe(0);
    const c = t.units[0]!.context;
    expect([c.ip, c.sp, c.get('rbx'), c.get('r14'), c.get('r15'), c.get('efl')]).toEqual([
      0x7ff9111e39e4n, 0xcbc82ff448n, 0xcbc82ff510n, 0xaaaaaaaaaaaaaaaan, 0x6dc000844b0n, 0x246n,
    ]);
    expect(t.threads[0]!.xstate).toEqual({ mask: 0x800n, compactionMask: 0x8000000000000800n, cetU: { cetUMsr: 1n, ssp: 0xcbc83fefc8n } });
    expect(t.file.threads[0]!.decoded!.contextFlags).toBe(0x10005f);
    expect(t.units[0]!.teb).toBe(0xcbc80b9000n);
    expect(t.processId).toBe(15444);
    expect(infos).toHaveLength(25);
    expect(infos[0]).toMatchObject({ name: 'tiny', imagePath: 'C:\\src\\crashpad\\tiny.exe', fileVersion: '0.0.0.0' });
    expect(t.unloadedModules).toHaveLength(1);
    expect(t.handleCount).toBe(147);
    expect(t.memoryInfo).toHaveLength(557);
    expect(t.memoryInfo[0]).toMatchObject({ baseAddress: 0n });
    expect(t.system.buildLine).toBe('Windows NT 10.0.22000.282');
    expect(t.system.debugSessionTime).toBe('Mon Nov  1 14:55:43.000 2021 (UTC - 7:00)');
    expect(t.system.processUptime).toBe('0 days 0:00:05.000');
  });

  it('tiny-exe-with-cet-xsave-x86.dmp (x86 CONTEXT with an XSTATE tail)', () => {
    const { t } = load(path.join(BP, 'tiny-exe-with-cet-xsave-x86.dmp'));
    expect(t.file.threads.map((x) => [x.context.dataSize, x.decoded!.contextFlags])).toEqual([[1147, 0x1007f], [1147, 0x1007f], [1147, 0x1007f]]);
    // AVX and CET_U are laid out (CompactionMask) but hold their initial state (Mask 0).
    expect(t.threads[0]!.xstate).toEqual({ mask: 0n, compactionMask: 0x8000000000000804n });
    expect(t.units[0]!.context.ip).toBe(0x7707768cn);
  });

  it('thread_name_list.dmp (thread names, event thread 5)', () => {
    const { t } = load(path.join(BP, 'thread_name_list.dmp'));
    expect(t.initialUnit).toBe(5);
    expect([...t.threadNames]).toEqual([[0x19a4, 'main thread'], [0x2274, 'sleep thread'], [0x2ae0, 'overflow thread']]);
    expect(t.system.debugSessionTime).toBe('Mon Sep 14 10:42:28.000 2020 (UTC + 2:00)');
  });

  it('fizzbuzz_no_heap.dmp (lldb, x86 on WOW64)', () => {
    const { t } = load(path.join(LL, 'unittests/Process/minidump/Inputs/fizzbuzz_no_heap.dmp'));
    expect(t.arch).toBe('x86');
    expect(t.processId).toBe(4440);
    expect(t.units.map((u) => u.threadId)).toEqual([0x2320]);
    expect(t.system.versionLine).toBe('Windows 7 Version 7601 (Service Pack 1) MP (32 procs) Free x86 compatible');
  });
});
