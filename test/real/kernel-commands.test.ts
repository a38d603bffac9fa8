import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelDispatcher, output } from '../unit/kernel-objects/helpers.js';

const dir = resolve(process.cwd(), '../shared/testdata');
const triage = resolve(dir, 'rizinorg+rizin-testbins/dmp/triage_x64.dmp');
const images = resolve(dir, 'rizinorg+test-pdb-repository');
const fragment = resolve(dir, 'WerWolv+ImHex-Patterns/tests/patterns/test_data/dmp64.hexpat.bin');
if (!existsSync(triage)) console.warn(`skipping kernel command tests on triage_x64.dmp: ${triage} is absent`);
if (!existsSync(fragment)) console.warn(`skipping kernel command tests on dmp64.hexpat.bin: ${fragment} is absent`);

const open = () => kernelDispatcher(triage, { imagePath: () => images });

/**
 * Expected values were read straight from the dump's TRIAGE_DATA_BLOCKs and its KPRCB/ETHREAD/
 * EPROCESS copies (file offsets 0x21b8, 0xdaf8, 0xd0b8): e.g. KPRCB+0x7e80 = 0x9fa interrupts,
 * +0x7e84 = 0xef kernel ticks; ETHREAD+0x478 Cid {4, 0x108}; EPROCESS+0x5a8 "System".
 */
describe.skipIf(!existsSync(triage))('real: kernel extension commands on triage_x64.dmp (Win10 19041)', () => {
  it('!prcb prints processor 0\'s KPRCB copy', async () => {
    expect(await output(await open(), '!prcb')).toEqual([
      'PRCB for Processor 0 at fffff804782d4180:',
      'Current IRQL -- 0',
      'Threads--  Current ffffc08bde9e1640 Next 0000000000000000 Idle fffff8047c727600',
      'Processor Index 0 Number (0, 0) GroupSetMember 1',
      'Interrupt Count -- 000009fa',
      'Times -- Dpc    00000000 Interrupt 00000000 ',
      '         Kernel 000000ef User      00000000 ',
    ]);
  });

  it('!prcb N reads the other processors\' KPRCBs from the data blocks', async () => {
    expect(await output(await open(), '!prcb 5')).toEqual([
      'PRCB for Processor 5 at ffff9b00026c0180:',
      'Current IRQL -- 0',
      'Threads--  Current ffffc08bdfbac080 Next 0000000000000000 Idle ffff9b00026cb440',
      'Processor Index 5 Number (0, 5) GroupSetMember 20',
      'Interrupt Count -- 0000020a',
      'Times -- Dpc    00000001 Interrupt 00000000 ',
      '         Kernel 000000da User      00000000 ',
    ]);
  });

  it('!pcr 12 prints a KPCR whose header is in a data block; !pcr says processor 0\'s is not', async () => {
    const d = await open();
    expect(await output(d, '!pcr 12')).toEqual([
      'KPCR for Processor 12 at ffff9b0002dc0000:',
      '    Major 1 Minor 1',
      '\tNtTib.ExceptionList: ffff9b0002dcffb0',
      '\t    NtTib.StackBase: ffff9b0002dce000',
      '\t   NtTib.StackLimit: 0000005efecbede8',
      '\t NtTib.SubSystemTib: ffff9b0002dc0000',
      '\t      NtTib.Version: 0000000002dc0180',
      '\t  NtTib.UserPointer: ffff9b0002dc0870',
      '\t      NtTib.SelfTib: 000000da5be89000',
      '',
      '\t            SelfPcr: 0000000000000000',
      '\t               Prcb: ffff9b0002dc0180',
      '\t               Irql: 0000000000000000',
      '\t                IRR: 0000000000000000',
      '\t                IDR: 0000000000000000',
      '\t      InterruptMode: 0000000000000000',
      '\t                IDT: 0000000000000000',
      '\t                GDT: 0000000000000000',
      '\t                TSS: 0000000000000000',
      '',
      '\t      CurrentThread: ffff9b0002dcb440',
      '\t         NextThread: 0000000000000000',
      '\t         IdleThread: ffff9b0002dcb440',
      '',
      '\t          DpcQueue:',
    ]);
    expect(await output(d, '!pcr')).toEqual([
      'KPCR for Processor 0 at fffff804782d4000:',
      'crashkd: the KPCR header at fffff804782d4000 is not in this dump; showing what its KPRCB holds',
      '\t               Prcb: fffff804782d4180',
      '',
      '\t      CurrentThread: ffffc08bde9e1640',
      '\t         NextThread: 0000000000000000',
      '\t         IdleThread: fffff8047c727600',
    ]);
  });

  it('!thread prints the bug-check thread from its ETHREAD copy, then the `kv` stack through amdppm', async () => {
    const d = await open();
    const lines = await output(d, '!thread');
    expect(lines.slice(0, 12)).toEqual([
      'THREAD ffffc08bde9e1640  Cid 0004.0108  Teb: 0000000000000000 Win32Thread: 0000000000000000 RUNNING on processor 0',
      'Not impersonating',
      'DeviceMap                 ffffad0ec1047600',
      'Owning Process            ffffc08bdce94180       Image:         System',
      'Attached Process          N/A            Image:         N/A',
      'Context Switch Count      408            IdealProcessor: 0             ',
      '*** ERROR: Module load completed but symbols could not be loaded for ntoskrnl.exe',
      'Win32 Start Address nt+0x225870 (0xfffff8047bc25870)',
      'Stack Init ffff850429892c90 Current ffff850429891fe0',
      'Base ffff850429893000 Limit ffff85042988d000',
      'Priority 13 BasePriority 12 UnusualBoost 0 ForegroundBoost 0 IoPriority 2 PagePriority 5',
      '',
    ]);
    const stack = lines.slice(12);
    expect(stack[0]).toBe('Child-SP          RetAddr           : Args to Child                                                           : Call Site');
    expect(stack[1]).toBe('ffff8504`29890ee8 fffff804`7be0f4e1 : 00000000`0000007e ffffffff`c0000005 fffff804`8b58334c ffff8504`29891ee8 : nt+0x3f5a80');
    expect(stack.some((l) => l.endsWith(': amdppm+0x334c'))).toBe(true);
    expect(stack.some((l) => l.endsWith(': Wdf01000+0x7c027'))).toBe(true);
    expect(stack.at(-1)).toBe('ffff8504`29892c78 00000000`00000000 : 00000000`00000000 00000000`00000000 ffff8504`29893000 ffff8504`2988d000 : nt+0x317dd0');
    // Symbol-load messages print once per session: the later `kv` no longer has them.
    expect(stack.filter((l) => !l.startsWith('*** ERROR'))).toEqual(await output(d, 'kv'));
  });

  it('!thread on another processor says its ETHREAD is not in the mini dump', async () => {
    const d = await open();
    await output(d, '~5s');
    expect(await output(d, '!thread')).toEqual(['crashkd: THREAD ffffc08b`dfbac080 is not in this dump']);
  });

  it('!process 0 0 prints System, then says the rest of the list is not in the dump', async () => {
    const system = [
      'PROCESS ffffc08bdce94180',
      '    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000',
      '    DirBase: 001ad000  ObjectTable: ffffad0ec107b080  HandleCount: <Data Not Accessible>',
      '    Image: System',
      '',
    ];
    const d = await open();
    expect(await output(d, '!process 0 0')).toEqual([
      '**** NT ACTIVE PROCESS DUMP ****',
      ...system,
      'crashkd: the process list continues at EPROCESS ffffc08b`dcf0f040, which is not in this dump (a mini kernel dump keeps only the crashing thread and its process)',
    ]);
    expect(await output(d, '!process')).toEqual(system);
    expect(await output(d, '!process 4 0')).toEqual(system);
  });

  it('!pte says a mini dump has no page tables', async () => {
    expect(await output(await open(), '!pte fffff8047ba00000')).toEqual(['crashkd: !pte needs physical memory and page tables; a mini kernel dump stores neither']);
  });
});

describe.skipIf(!existsSync(fragment))('real: kernel extension commands on dmp64.hexpat.bin (first 16 KiB of a complete dump)', () => {
  it('each command names what the truncated dump lacks', async () => {
    const d = await kernelDispatcher(fragment);
    expect(await output(d, '!pte fffff8072aa9136d')).toEqual(['crashkd: the page-table root (PML4 page, physical 1ad000) is not in this dump']);
    expect(await output(d, '!prcb')).toEqual(["crashkd: processor 0's KPRCB address is unknown: the dump's KDDEBUGGER_DATA64 (KiProcessorBlock) is not readable"]);
    expect(await output(d, '!pcr 3')).toEqual(["crashkd: processor 3's KPRCB address is unknown: the dump's KDDEBUGGER_DATA64 (KiProcessorBlock) is not readable"]);
    expect(await output(d, '!thread')).toEqual(["crashkd: processor 0's KPRCB address is unknown: the dump's KDDEBUGGER_DATA64 (KiProcessorBlock) is not readable"]);
    expect(await output(d, '!process 0 0')).toEqual(["crashkd: PsActiveProcessHead is unknown: the dump's KDDEBUGGER_DATA64 is not readable"]);
  });
});
