/** Synthetic 19041 and 7601 kernel machines with the objects the extension commands read. */
import type { KernelMachine, ProcessSpec } from '../../builders/kdump-builder.js';
import { KernelMachine as Machine, OBJECTS_7601, VA, addProcessList, addSelfMap, fillThread, put32, put64, sharedProcess } from '../../builders/kdump-builder.js';
import { STACK0, standardSpec, writeStack } from '../formats/kdump/helpers.js';

/** The processes of the synthetic 19041 machine, in list order (System is the threads' process). */
export const PROCESSES: readonly Omit<ProcessSpec, 'address'>[] = [
  { pid: 4n, image: 'System', objectTable: 0xffffad0ec107b080n, deviceMap: 0xffffad0ec1047600n },
  { pid: 0x1f4n, parentPid: 4n, peb: 0xd1c2e5a000n, dirBase: 0x1f7fb9000n, objectTable: 0xffff8f007c61fc80n, image: 'smss.exe' },
  { pid: 0xf68n, parentPid: 0xf34n, peb: 0x7ff7cfe7a000n, dirBase: 0x2a3b4000n, objectTable: 0xffffc001cec82780n, image: 'averyveryverylongname.exe', sessionId: 1 },
];

/** KPRCB fields `!prcb` prints beyond what the builder writes (offsets: ntdiff Win7 SP1 _KPRCB; 19041 as the triage dump shows them). */
interface PrcbFields {
  readonly number: number;
  readonly counts: readonly [number, number, number, number, number];
  readonly irqlAt?: number;
  readonly irql?: number;
}

function writePrcb(m: KernelMachine, cpu: number, f: PrcbFields, at: { group: number; groupIndex: number; groupSetMember: number; counts: number }): void {
  const prcb = m.prcbAddress(cpu);
  const member = new Uint8Array(8);
  put64(member, 0, 1n << BigInt(f.number));
  m.writeVa(prcb + BigInt(at.groupSetMember), member);
  m.writeVa(prcb + BigInt(at.group), new Uint8Array([0]));
  m.writeVa(prcb + BigInt(at.groupIndex), new Uint8Array([f.number]));
  const counts = new Uint8Array(20);
  f.counts.forEach((c, i) => put32(counts, i * 4, c));
  m.writeVa(prcb + BigInt(at.counts), counts);
  if (f.irqlAt !== undefined) m.writeVa(prcb + BigInt(f.irqlAt), new Uint8Array([f.irql ?? 0]));
}

/** Values of processor 0's KPCR header in the 19041 machine (x64 KPCR: NT_TIB overlay, Irql 0x50, versions 0x60). */
export const PCR0 = { gdt: 0xfffff80000b95000n, tss: 0xfffff80000b94000n, userRsp: 0x5efecbede8n, lockArray: VA.prcbBase + 0x7f0n, usedSelf: 0x7efdb000n, irql: 2 };

function writePcrHeader(m: KernelMachine, cpu: number): void {
  const pcr = m.prcbAddress(cpu) - 0x180n;
  const h = new Uint8Array(0x64);
  [PCR0.gdt, PCR0.tss, PCR0.userRsp, pcr, m.prcbAddress(cpu), PCR0.lockArray, PCR0.usedSelf].forEach((v, i) => put64(h, i * 8, v));
  h[0x50] = PCR0.irql;
  h[0x60] = 1;
  h[0x62] = 1;
  m.writeVa(pcr, h);
}

/** A 3-processor 19041 machine: self-map, process list, processor 0 running, processor 1 waiting. */
export function machine19041(): { m: KernelMachine; processes: bigint[]; thread0: bigint; thread1: bigint } {
  const m = new Machine(standardSpec());
  writeStack(m);
  addSelfMap(m);
  const processes = addProcessList(m, PROCESSES.map((p, i) => (i === 0 ? { ...p, address: sharedProcess(m), dirBase: m.pt.cr3 } : p)));
  const thread0 = fillThread(m, 0, {
    pid: 4n, tid: 0x108n, state: 2, nextProcessor: 0,
    initialStack: STACK0 + 0xd90n, kernelStack: STACK0 - 0x1000n + 0x0e0n, stackBase: STACK0 + 0x1100n, stackLimit: STACK0 - 0x5f00n,
    priority: 13, basePriority: 12, priorityDecrement: 0x21, contextSwitches: 408, idealProcessor: 3,
    win32StartAddress: VA.kernelBase + 0x870n,
  });
  writePcrHeader(m, 0);
  writePrcb(m, 0, { number: 0, counts: [0x9fa, 0xef, 0x12, 0x3, 0x4] }, { group: 0xd0, groupIndex: 0xd1, groupSetMember: 0xc8, counts: 0x7e80 });
  writePrcb(m, 1, { number: 1, counts: [0x3c3, 0xda, 0, 1, 0] }, { group: 0xd0, groupIndex: 0xd1, groupSetMember: 0xc8, counts: 0x7e80 });
  const thread1 = fillThread(m, 1, {
    pid: 0xf68n, tid: 0x1ecn, teb: 0x71fa9b9000n, win32Thread: 0xffffe001d41690d0n, state: 5, waitReason: 13, waitMode: 1, alertable: true,
    process: processes[2]!, attachedTo: processes[1]!, impersonating: true, ioPriority: 0, pagePriority: 1,
  });
  return { m, processes, thread0, thread1 };
}

/** A 2-processor Windows 7 SP1 machine (the builder's KDBG supplies the KPRCB offsets) with two processes. */
export function machine7601(): { m: KernelMachine; processes: bigint[] } {
  const m = new Machine(standardSpec({ build: 7601, processors: [{ regs: { rip: VA.kernelBase + 0x1a80n, rsp: STACK0 } }, { regs: {} }] }));
  addSelfMap(m, 0x1edn, false);
  const processes = addProcessList(
    m,
    [
      { pid: 4n, image: 'System', handleCount: 2454, dirBase: 0x187000n },
      { pid: 0xf68n, parentPid: 0xf34n, peb: 0x7fffffdb000n, image: 'echoapp.exe', sessionId: 1, handleCount: 34 },
    ],
    OBJECTS_7601,
  );
  writePrcb(m, 0, { number: 0, counts: [0x174c7, 0x574, 0x72, 0x12, 0x12], irqlAt: 0x4718, irql: 13 }, { group: 0x658, groupIndex: 0x668, groupSetMember: 0x660, counts: 0x4700 });
  fillThread(m, 0, { pid: 4n, tid: 8n, priority: 16, basePriority: 8, priorityDecrement: 2, callbackStack: 0n, process: processes[0]! }, OBJECTS_7601);
  return { m, processes };
}
