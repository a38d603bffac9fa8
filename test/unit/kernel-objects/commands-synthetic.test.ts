import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelView } from '../../../src/kernel-objects/kernel-view.js';
import { walkProcesses } from '../../../src/kernel-objects/process.js';
import { findSelfMap } from '../../../src/kernel-objects/pte-walk.js';
import type { Dispatcher } from '../../../src/repl/dispatcher.js';
import { openTarget } from '../../../src/session/open-target.js';
import { KernelMachine, OBJECTS_19041, VA, addSelfMap, writeBitmapDump, writeCompleteDump, writeTriageDump } from '../../builders/kdump-builder.js';
import { STACK0, standardSpec, tempDir } from '../formats/kdump/helpers.js';
import { kernelDispatcher, output } from './helpers.js';
import { machine19041, machine7601 } from './synthetic.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const file = (): string => join(tmp.dir, `k${n++}.dmp`);

/** Addresses the builder hands out, in allocation order (pool grows from ffffa000`00000000). */
const SYSTEM = 0xffffa00000000000n;
const THREAD0 = 0xffffa00000000a40n;
const THREAD1 = 0xffffa000000017b0n;
const SMSS = 0xffffa00000002d30n;
const ECHO = 0xffffa00000003770n;

describe('kernel commands on a synthetic 19041 complete dump', () => {
  let d: Dispatcher;
  let path: string;
  beforeAll(async () => {
    const { m, processes, thread0, thread1 } = machine19041();
    expect([thread0, thread1, ...processes]).toEqual([THREAD0, THREAD1, SYSTEM, SMSS, ECHO]);
    path = file();
    writeCompleteDump(m, path);
    d = await kernelDispatcher(path);
  });

  it('!pcr prints the KPCR header, the x86-only fields as zero, and the KPRCB threads', async () => {
    expect(await output(d, '!pcr')).toEqual([
      'KPCR for Processor 0 at fffff80001000000:',
      '    Major 1 Minor 1',
      '\tNtTib.ExceptionList: fffff80000b95000',
      '\t    NtTib.StackBase: fffff80000b94000',
      '\t   NtTib.StackLimit: 0000005efecbede8',
      '\t NtTib.SubSystemTib: fffff80001000000',
      '\t      NtTib.Version: 0000000001000180',
      '\t  NtTib.UserPointer: fffff800010007f0',
      '\t      NtTib.SelfTib: 000000007efdb000',
      '',
      '\t            SelfPcr: 0000000000000000',
      '\t               Prcb: fffff80001000180',
      '\t               Irql: 0000000000000002',
      '\t                IRR: 0000000000000000',
      '\t                IDR: 0000000000000000',
      '\t      InterruptMode: 0000000000000000',
      '\t                IDT: 0000000000000000',
      '\t                GDT: 0000000000000000',
      '\t                TSS: 0000000000000000',
      '',
      '\t      CurrentThread: ffffa00000000a40',
      '\t         NextThread: 0000000000000000',
      '\t         IdleThread: 0000000000000000',
      '',
      '\t          DpcQueue:',
    ]);
  });

  it('!pcr N for a processor whose KPCR header was never written says so and keeps the KPRCB part', async () => {
    expect(await output(d, '!pcr 1')).toEqual([
      'KPCR for Processor 1 at fffff80001010000:',
      '    Major 0 Minor 0',
      ...Array.from({ length: 7 }, (_, i) => `\t${['NtTib.ExceptionList', 'NtTib.StackBase', 'NtTib.StackLimit', 'NtTib.SubSystemTib', 'NtTib.Version', 'NtTib.UserPointer', 'NtTib.SelfTib'][i]!.padStart(19)}: 0000000000000000`),
      '',
      '\t            SelfPcr: 0000000000000000',
      '\t               Prcb: fffff80001010180',
      '\t               Irql: 0000000000000000',
      '\t                IRR: 0000000000000000',
      '\t                IDR: 0000000000000000',
      '\t      InterruptMode: 0000000000000000',
      '\t                IDT: 0000000000000000',
      '\t                GDT: 0000000000000000',
      '\t                TSS: 0000000000000000',
      '',
      '\t      CurrentThread: ffffa000000017b0',
      '\t         NextThread: 0000000000000000',
      '\t         IdleThread: 0000000000000000',
      '',
      '\t          DpcQueue:',
    ]);
    expect(await output(d, '!pcr 7')).toEqual(['crashkd: there is no processor 7 (this target has 3)']);
  });

  it('!prcb prints IRQL, threads, index/group and the counters', async () => {
    expect(await output(d, '!prcb')).toEqual([
      'PRCB for Processor 0 at fffff80001000180:',
      'Current IRQL -- 2',
      'Threads--  Current ffffa00000000a40 Next 0000000000000000 Idle 0000000000000000',
      'Processor Index 0 Number (0, 0) GroupSetMember 1',
      'Interrupt Count -- 000009fa',
      'Times -- Dpc    00000003 Interrupt 00000004 ',
      '         Kernel 000000ef User      00000012 ',
    ]);
    expect(await output(d, '!prcb 1')).toEqual([
      'PRCB for Processor 1 at fffff80001010180:',
      'Current IRQL -- 0',
      'Threads--  Current ffffa000000017b0 Next 0000000000000000 Idle 0000000000000000',
      'Processor Index 1 Number (0, 1) GroupSetMember 2',
      'Interrupt Count -- 000003c3',
      'Times -- Dpc    00000001 Interrupt 00000000 ',
      '         Kernel 000000da User      00000000 ',
    ]);
  });

  it('!thread prints the running thread, its process and stack limits, then the same stack as `0kv`', async () => {
    const lines = await output(d, '!thread');
    expect(lines.slice(0, 13)).toEqual([
      'THREAD ffffa00000000a40  Cid 0004.0108  Teb: 0000000000000000 Win32Thread: 0000000000000000 RUNNING on processor 0',
      'Not impersonating',
      'DeviceMap                 ffffad0ec1047600',
      'Owning Process            ffffa00000000000       Image:         System',
      'Attached Process          N/A            Image:         N/A',
      'Context Switch Count      408            IdealProcessor: 3             ',
      // The synthetic nt image has no export directory, so there are no export symbols either.
      '*** ERROR: Module load completed but symbols could not be loaded for ntoskrnl.exe',
      'Win32 Start Address nt+0x870 (0xfffff80000200870)',
      'Stack Init ffffc00000002c90 Current ffffc00000000fe0',
      'Base ffffc00000003000 Limit ffffbfffffffc000',
      'Priority 13 BasePriority 12 UnusualBoost 2 ForegroundBoost 1 IoPriority 2 PagePriority 5',
      '',
      'Child-SP          RetAddr           : Args to Child                                                           : Call Site',
    ]);
    const kv = await output(d, '0kv');
    expect(lines.slice(12)).toEqual(kv);
    expect(kv[1]).toBe('ffffc000`00001f00 342d261f`18110a03 : 6c655e57`5049423b a49d968f`88817a73 dcd5cec7`c0b9b2ab 140d06ff`f8f1eae3 : nt+0x1a80');
  });

  it('!thread Address Flags: 0 prints the first line only, 2 the header without the stack', async () => {
    expect(await output(d, `!thread ${THREAD1.toString(16)} 0`)).toEqual([
      'THREAD ffffa000000017b0  Cid 0f68.01ec  Teb: 00000071fa9b9000 Win32Thread: ffffe001d41690d0 WAIT: (WrUserRequest) UserMode Alertable',
    ]);
    expect(await output(d, `!thread ${THREAD1.toString(16)} 2`)).toEqual([
      'THREAD ffffa000000017b0  Cid 0f68.01ec  Teb: 00000071fa9b9000 Win32Thread: ffffe001d41690d0 WAIT: (WrUserRequest) UserMode Alertable',
      'DeviceMap                 0000000000000000',
      'Owning Process            ffffa00000003770       Image:         averyveryverylo',
      'Attached Process          ffffa00000002d30       Image:         smss.exe',
      'Context Switch Count      0              IdealProcessor: 0             ',
      'Win32 Start Address 0x0000000000000000',
      'Stack Init 0000000000000000 Current 0000000000000000',
      'Base 0000000000000000 Limit 0000000000000000',
      'Priority 8 BasePriority 8 UnusualBoost 0 ForegroundBoost 0 IoPriority 0 PagePriority 1',
    ]);
  });

  it('!thread of another processor walks that processor\'s context (as `1kv`) without switching', async () => {
    const lines = await output(d, `!thread ${THREAD1.toString(16)}`);
    expect(lines[9]).toBe('');
    expect(lines.slice(10)).toEqual(await output(d, '1kv'));
    expect(lines[11]).toBe('ffffa000`00003000 00000000`00000000 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt+0x2000');
    expect((await output(d, 'r rip'))[0]).toBe('rip=fffff80000201a80');
  });

  it('!thread of an address that is no ETHREAD in the dump says so in one line', async () => {
    expect(await output(d, '!thread ffffa000`12345000')).toEqual(['crashkd: THREAD ffffa000`12345000 is not in this dump']);
    expect(await output(d, '!thread -p')).toEqual(['crashkd: !thread -p and -t are not supported yet']);
  });

  it('!process 0 0 walks PsActiveProcessHead in the brief x64 layout', async () => {
    expect(await output(d, '!process 0 0')).toEqual([
      '**** NT ACTIVE PROCESS DUMP ****',
      'PROCESS ffffa00000000000',
      '    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000',
      '    DirBase: 00100000  ObjectTable: ffffad0ec107b080  HandleCount: <Data Not Accessible>',
      '    Image: System',
      '',
      'PROCESS ffffa00000002d30',
      '    SessionId: none  Cid: 01f4    Peb: d1c2e5a000  ParentCid: 0004',
      '    DirBase: 1f7fb9000  ObjectTable: ffff8f007c61fc80  HandleCount: <Data Not Accessible>',
      '    Image: smss.exe',
      '',
      'PROCESS ffffa00000003770',
      '    SessionId: 1  Cid: 0f68    Peb: 7ff7cfe7a000  ParentCid: 0f34',
      '    DirBase: 2a3b4000  ObjectTable: ffffc001cec82780  HandleCount: <Data Not Accessible>',
      // ImageFileName keeps 15 bytes: longer names are cut there.
      '    Image: averyveryverylo',
      '',
    ]);
  });

  it('!process filters by image name, finds a Cid or an address, and shows the current process', async () => {
    const smss = ['PROCESS ffffa00000002d30', '    SessionId: none  Cid: 01f4    Peb: d1c2e5a000  ParentCid: 0004', '    DirBase: 1f7fb9000  ObjectTable: ffff8f007c61fc80  HandleCount: <Data Not Accessible>', '    Image: smss.exe', ''];
    expect(await output(d, '!process 0 0 SMSS.EXE')).toEqual(['**** NT ACTIVE PROCESS DUMP ****', ...smss]);
    expect(await output(d, '!process 1f4')).toEqual(smss);
    expect(await output(d, `!process ${SMSS.toString(16)} 0`)).toEqual(smss);
    expect((await output(d, '!process'))[0]).toBe('PROCESS ffffa00000000000');
    // Processor 1's thread is attached to smss.exe: that is its current address space.
    await output(d, '~1s');
    expect((await output(d, '!process'))[0]).toBe('PROCESS ffffa00000002d30');
    await output(d, '~0s');
    expect(await output(d, '!process 9999 0')).toEqual(['crashkd: no process with Cid 9999 in the process list']);
    expect((await output(d, '!process 0 7')).at(-1)).toBe('crashkd: thread lists (flags 0x2 and 0x4) are not shown yet');
  });

  it('!pte walks a 4 KiB mapping through the self-map addresses', async () => {
    expect(await output(d, '!pte ffffa00000000000')).toEqual([
      '                                           VA ffffa00000000000',
      'PXE at FFFFF6FB7DBEDA00    PPE at FFFFF6FB7DB40000    PDE at FFFFF6FB68000000    PTE at FFFFF6D000000000',
      'contains 0000000000109003  contains 000000000010A003  contains 000000000010B003  contains 0000000000108003',
      'pfn 109       -------KWEV  pfn 10a       -------KWEV  pfn 10b       -------KWEV  pfn 108       -------KWEV',
    ]);
  });

  it('!pte names the frame inside 2 MiB and 1 GiB pages (PAT bit set on the 2 MiB entry)', async () => {
    expect(await output(d, '!pte fffff80000201a80')).toEqual([
      '                                           VA fffff80000201a80',
      'PXE at FFFFF6FB7DBEDF80    PPE at FFFFF6FB7DBF0000    PDE at FFFFF6FB7E000008    PTE at FFFFF6FC00001008',
      'contains 0000000000101003  contains 0000000000102003  contains 0000000001201083',
      'pfn 101       -------KWEV  pfn 102       -------KWEV  pfn 1201      --L----KWEV  LARGE PAGE pfn 1201',
    ]);
    expect(await output(d, `!pte ${STACK0.toString(16)}`)).toEqual([
      '                                           VA ffffc00000001f00',
      'PXE at FFFFF6FB7DBEDC00    PPE at FFFFF6FB7DB80000    PDE at FFFFF6FB70000000    PTE at FFFFF6E000000008',
      'contains 0000000000103003  contains 0000000040000083',
      'pfn 103       -------KWEV  pfn 40000     --L----KWEV  LARGE PAGE pfn 40001',
    ]);
  });

  it('!pte stops at a zero entry the way kd does', async () => {
    expect(await output(d, '!pte 0')).toEqual([
      '                                           VA 0000000000000000',
      'PXE at FFFFF6FB7DBED000    PPE at FFFFF6FB7DA00000    PDE at FFFFF6FB40000000    PTE at FFFFF68000000000',
      'contains 0000000000000000',
      'contains 0000000000000000',
      'not valid',
    ]);
    expect(await output(d, '!pte ffffa00040000000')).toEqual([
      '                                           VA ffffa00040000000',
      'PXE at FFFFF6FB7DBEDA00    PPE at FFFFF6FB7DB40008    PDE at FFFFF6FB68001000    PTE at FFFFF6D000200000',
      'contains 0000000000109003  contains 0000000000000000',
      'pfn 109       -------KWEV  contains 0000000000000000',
      'not valid',
    ]);
    expect(await output(d, '!pte 0000800000000000')).toEqual(['crashkd: 800000000000 is not a canonical x64 address']);
  });

  it('finds the self-map through KDDEBUGGER_DATA64.PteBase', async () => {
    const view = kernelView(await openTarget(path));
    expect(findSelfMap(view, view.physical!, view.directoryTableBase!)).toEqual({ pteBase: 0xfffff68000000000n, source: 'kdbg' });
  });
});

describe('!pte on not-present entries, missing tables and dumps without a self-map', () => {
  it('decodes transition, page-file and demand-zero PTEs under "not valid"', async () => {
    const { m } = machine19041();
    const va = 0xffffa00000010000n;
    m.mapFresh(va, 0x3000);
    m.pt.setRaw(va, 3, 0x00000000166b7880n);
    m.pt.setRaw(va + 0x1000n, 3, 0x001bbeda00002084n);
    m.pt.setRaw(va + 0x2000n, 3, 0x80n);
    const path = file();
    writeCompleteDump(m, path);
    const d = await kernelDispatcher(path);
    const head = (pte: string): string[] => [
      `                                           VA ${pte}`,
      `PXE at FFFFF6FB7DBEDA00    PPE at FFFFF6FB7DB40000    PDE at FFFFF6FB68000000    PTE at FFFFF6D0000000${(Number(BigInt(`0x${pte}`) - 0xffffa00000000000n) / 512).toString(16).toUpperCase().padStart(2, '0')}`,
    ];
    const pad = ' '.repeat(82);
    expect(await output(d, '!pte ffffa00000010000')).toEqual([
      ...head('ffffa00000010000'),
      'contains 0000000000109003  contains 000000000010A003  contains 000000000010B003  contains 00000000166B7880',
      'pfn 109       -------KWEV  pfn 10a       -------KWEV  pfn 10b       -------KWEV  not valid',
      `${pad}Transition: 166b7`,
      `${pad}Protect: 4 - ReadWrite`,
    ]);
    expect((await output(d, '!pte ffffa00000011000')).slice(3)).toEqual([
      'pfn 109       -------KWEV  pfn 10a       -------KWEV  pfn 10b       -------KWEV  not valid',
      `${pad}PageFile: 2`,
      `${pad}Offset: 1bbeda`,
      `${pad}Protect: 4 - ReadWrite`,
    ]);
    expect((await output(d, '!pte ffffa00000012000')).slice(3)).toEqual([
      'pfn 109       -------KWEV  pfn 10a       -------KWEV  pfn 10b       -------KWEV  not valid',
      `${pad}DemandZero`,
      `${pad}Protect: 4 - ReadWrite`,
    ]);
  });

  it('names the page-table page a bitmap dump left out', async () => {
    const { m } = machine19041();
    const pd = Number(m.pt.entryAddress(0xffffa00000000000n, 2) >> 12n);
    const path = file();
    writeBitmapDump(m, path, { present: m.storedPfns().filter((p) => p !== pd) });
    const d = await kernelDispatcher(path);
    expect(await output(d, '!pte ffffa00000000000')).toEqual([
      '                                           VA ffffa00000000000',
      'PXE at FFFFF6FB7DBEDA00    PPE at FFFFF6FB7DB40000    PDE at FFFFF6FB68000000    PTE at FFFFF6D000000000',
      'contains 0000000000109003  contains 000000000010A003',
      'pfn 109       -------KWEV  pfn 10a       -------KWEV',
      'crashkd: the page-table page holding the PDE (physical 10a000) is not in this dump',
    ]);
  });

  it('prints physical entry addresses when no PML4 entry maps the tables, and finds a self-map by scanning', async () => {
    const m = new KernelMachine(standardSpec());
    const plain = file();
    writeBitmapDump(m, plain);
    const d = await kernelDispatcher(plain);
    expect(await output(d, '!pte ffffa00000000000')).toEqual([
      'crashkd: the page-table self-map entry was not found; the entry addresses below are physical',
      '                                           VA ffffa00000000000',
      'PXE at 0000000000100A00    PPE at 0000000000109000    PDE at 000000000010A000    PTE at 000000000010B000',
      'contains 0000000000109003  contains 000000000010A003  contains 000000000010B003  contains 0000000000108003',
      'pfn 109       -------KWEV  pfn 10a       -------KWEV  pfn 10b       -------KWEV  pfn 108       -------KWEV',
    ]);
    // A randomised slot with no PteBase in KDBG: found by scanning the PML4's kernel half.
    const r = new KernelMachine(standardSpec());
    addSelfMap(r, 0x1a3n, false);
    const scanned = file();
    writeBitmapDump(r, scanned);
    const view = kernelView(await openTarget(scanned));
    expect(findSelfMap(view, view.physical!, view.directoryTableBase!)).toEqual({ pteBase: 0xffffd18000000000n, source: 'pml4' });
    expect((await output(await kernelDispatcher(scanned), '!pte 0'))[1]).toBe('PXE at FFFFD1E8F47A3000    PPE at FFFFD1E8F4600000    PDE at FFFFD1E8C0000000    PTE at FFFFD18000000000');
  });
});

describe('!thread of a thread no processor is running', () => {
  it('prints its header and says why there is no stack', async () => {
    const { m, thread1 } = machine19041();
    // Processor 1 switched to its idle thread: THREAD1 is now only an object in memory.
    m.writeU64(m.prcbAddress(1) + 8n, m.prcbAddress(1) + 0xb2c0n);
    const path = file();
    writeCompleteDump(m, path);
    const lines = await output(await kernelDispatcher(path), `!thread ${thread1.toString(16)}`);
    expect(lines[0]).toBe('THREAD ffffa000000017b0  Cid 0f68.01ec  Teb: 00000071fa9b9000 Win32Thread: ffffe001d41690d0 WAIT: (WrUserRequest) UserMode Alertable');
    // A waiting thread's stack comes from its saved kernel stack; this synthetic thread saved none.
    expect(lines.slice(-2)).toEqual(['', 'crashkd: THREAD ffffa000`000017b0 has no saved kernel stack (KernelStack is 0)']);
  });
});

describe('process list bounds', () => {
  it('stops at a loop, at an invalid link and at the limit, keeping what it read', async () => {
    const { m, processes } = machine19041();
    const links = processes.map((p) => p + BigInt(OBJECTS_19041.links));
    m.writeU64(links[2]!, links[1]!);
    const looping = file();
    writeCompleteDump(m, looping);
    const view = kernelView(await openTarget(looping));
    const loop = walkProcesses(view);
    expect(loop.ok && loop.value.processes.map((p) => p.image)).toEqual(['System', 'smss.exe', 'averyveryverylo']);
    expect(loop.ok && loop.value.stop).toBe('the process list loops back to ffffa000`00003178');
    const limited = walkProcesses(view, 2);
    expect(limited.ok && limited.value.stop).toBe('stopped after 2 processes (the list may be corrupt)');

    m.writeU64(links[1]!, 0x7ff712340000n);
    const broken = file();
    writeCompleteDump(m, broken);
    const d = await kernelDispatcher(broken);
    const lines = await output(d, '!process 0 0');
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe('crashkd: the process list holds an invalid link 00007ff7`12340000');
  });

  it('says when KDDEBUGGER_DATA64 has no PsActiveProcessHead', async () => {
    const plain = file();
    writeCompleteDump(new KernelMachine(standardSpec()), plain);
    expect(await output(await kernelDispatcher(plain), '!process 0 0')).toEqual(["crashkd: PsActiveProcessHead is not set in the dump's KDDEBUGGER_DATA64"]);
  });
});

describe('kernel commands on a synthetic triage dump', () => {
  it('show the stored thread and process, and say what a mini dump lacks', async () => {
    const { m } = machine19041();
    const path = file();
    writeTriageDump(m, path, { stack: { va: STACK0, size: 0x200 }, blocks: [{ va: VA.kiProcessorBlock, size: 24 }] });
    const d = await kernelDispatcher(path);
    expect((await output(d, '!thread 0 0'))).toEqual(['crashkd: THREAD 00000000`00000000 is not in this dump']);
    expect((await output(d, `!thread ${THREAD0.toString(16)} 0`))[0]).toBe(
      'THREAD ffffa00000000a40  Cid 0004.0108  Teb: 0000000000000000 Win32Thread: 0000000000000000 RUNNING on processor 0',
    );
    expect((await output(d, '!process'))[0]).toBe('PROCESS ffffa00000000000');
    expect(await output(d, '!process 0 0')).toEqual([
      'crashkd: the process list (PsActiveProcessHead ffffa000`00002d20) is not in this dump (a mini kernel dump keeps only the crashing thread and its process)',
    ]);
    expect(await output(d, '!pte 0')).toEqual(['crashkd: !pte needs physical memory and page tables; a mini kernel dump stores neither']);
    expect((await output(d, '!prcb'))[2]).toBe('Threads--  Current ffffa00000000a40 Next 0000000000000000 Idle 0000000000000000');
    expect(await output(d, '!prcb 1')).toEqual(['crashkd: processor 1\'s KPRCB at fffff800`01010180 is not in this dump']);
  });
});

describe('kernel commands on a synthetic Windows 7 SP1 dump', () => {
  let d: Dispatcher;
  beforeAll(async () => {
    const { m } = machine7601();
    const path = file();
    writeCompleteDump(m, path);
    d = await kernelDispatcher(path);
  });

  it('!prcb reproduces the section 11 sample counters', async () => {
    expect(await output(d, '!prcb')).toEqual([
      'PRCB for Processor 0 at fffff80001000180:',
      'Current IRQL -- 13',
      'Threads--  Current ffffa00000000a40 Next 0000000000000000 Idle 0000000000000000',
      'Processor Index 0 Number (0, 0) GroupSetMember 1',
      'Interrupt Count -- 000174c7',
      'Times -- Dpc    00000012 Interrupt 00000012 ',
      '         Kernel 00000574 User      00000072 ',
    ]);
  });

  it('!process 0 0 reads HandleCount from the Win7 HANDLE_TABLE', async () => {
    expect(await output(d, '!process 0 0')).toEqual([
      '**** NT ACTIVE PROCESS DUMP ****',
      'PROCESS ffffa00000002960',
      '    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000',
      '    DirBase: 00187000  ObjectTable: ffffa000000033a0  HandleCount: 2454.',
      '    Image: System',
      '',
      'PROCESS ffffa00000003400',
      '    SessionId: 1  Cid: 0f68    Peb: 7fffffdb000  ParentCid: 0f34',
      '    DirBase: 001ad000  ObjectTable: ffffa00000003e40  HandleCount:  34.',
      '    Image: echoapp.exe',
      '',
    ]);
  });

  it('!thread prints the Win7 priority line and the callback stack', async () => {
    const lines = await output(d, '!thread');
    expect(lines.slice(7, 10)).toEqual([
      'Stack Init 0000000000000000 Current 0000000000000000',
      'Base 0000000000000000 Limit 0000000000000000 Call 0000000000000000',
      'Priority 16 BasePriority 8 PriorityDecrement 2 IoPriority 2 PagePriority 5',
    ]);
  });

  it('!pte finds the classic self-map slot without KDBG help', async () => {
    expect((await output(d, '!pte fffff8035b2be43c'))[1]).toBe('PXE at FFFFF6FB7DBEDF80    PPE at FFFFF6FB7DBF0068    PDE at FFFFF6FB7E00D6C8    PTE at FFFFF6FC01AD95F0');
  });
});
