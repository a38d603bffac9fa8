import type { KdDebuggerData } from '../../formats/kdump/kdbg.js';

/** Kernel structure offsets the kernel target needs, all x64. */
export interface KernelOffsets {
  /** KPRCB.CurrentThread. */
  readonly prcbCurrentThread: number;
  /** KPRCB.Number (read as u16: the field is 16 or 32 bits depending on the build). */
  readonly prcbNumber: number;
  /** KPRCB.ProcessorState.ContextFrame. */
  readonly prcbProcStateContext: number;
  /** KPRCB.Context (a pointer to the CONTEXT saved at bug check / freeze). */
  readonly prcbContext?: number;
  /** KPCR.Prcb: KPRCB = KPCR + this. */
  readonly pcrPrcb: number;
  /** KTHREAD.ApcState.Process. */
  readonly kthreadApcProcess?: number;
  /** KPRCB.DebuggerSavedIRQL (no KDBG field exists for it). */
  readonly prcbDebuggerSavedIrql?: number;
}

/**
 * Offsets that hold across one kernel layout, keyed by the first build of the layout.
 * KDDEBUGGER_DATA64 wins over this table whenever the dump's copy is readable; the table is
 * the fallback, and the only source of DebuggerSavedIRQL.
 */
const TABLE: readonly { readonly builds: readonly [number, number]; readonly offsets: KernelOffsets }[] = [
  {
    // Windows 7 / Server 2008 R2 x64 (7600, 7601). Source: ntdiff/headers
    // Win7_SP1/x64/System32/ntoskrnl.exe/Standalone/_KPRCB.h (CurrentThread 0x8, Number 0x24,
    // ProcessorState 0x40 + KSPECIAL_REGISTERS 0xE0 = ContextFrame 0x120, DebuggerSavedIRQL 0x4718,
    // Context 0x4BD8) and _KTHREAD.h (ApcState 0x50 + KAPC_STATE.Process 0x20 = 0x70);
    // KPCR.Prcb 0x180 from several public KPCR dumps (formats.md 2.4).
    builds: [7600, 7601],
    offsets: {
      prcbCurrentThread: 0x8,
      prcbNumber: 0x24,
      prcbProcStateContext: 0x120,
      prcbContext: 0x4bd8,
      pcrPrcb: 0x180,
      kthreadApcProcess: 0x70,
      prcbDebuggerSavedIrql: 0x4718,
    },
  },
  {
    // Windows 10 2004..22H2 x64 (19041-19045 share one kernel layout). Source: the KDBG copy in
    // rizin-testbins triage_x64.dmp (19041: OffsetPrcbCurrentThread 0x8, OffsetPrcbNumber 0x24,
    // OffsetPrcbProcStateContext 0x1F0, OffsetPrcbContext 0x85C0, OffsetPcrContainedPrcb 0x180,
    // OffsetKThreadApcProcess 0xB8) and ntdiff/headers Win10_20H2_20H2/x64/.../_KPRCB.h
    // (DebuggerSavedIRQL 0x7E98, Context 0x85C0, size 0xAF00 = the dump's SizePrcb).
    builds: [19041, 19045],
    offsets: {
      prcbCurrentThread: 0x8,
      prcbNumber: 0x24,
      prcbProcStateContext: 0x1f0,
      prcbContext: 0x85c0,
      pcrPrcb: 0x180,
      kthreadApcProcess: 0xb8,
      prcbDebuggerSavedIrql: 0x7e98,
    },
  },
];

/** The table entry for `build`, or undefined for builds the table does not cover. */
export function tableOffsets(build: number): KernelOffsets | undefined {
  return TABLE.find((e) => build >= e.builds[0] && build <= e.builds[1])?.offsets;
}

/**
 * Offsets for `build`: KDBG's where it has them, the table otherwise. Undefined when neither
 * source knows the build (then per-processor details stay unknown).
 */
export function kernelOffsets(build: number, kdbg: KdDebuggerData | undefined): KernelOffsets | undefined {
  const t = tableOffsets(build);
  if (!kdbg) return t;
  return {
    prcbCurrentThread: kdbg.offsetPrcbCurrentThread,
    prcbNumber: kdbg.offsetPrcbNumber,
    prcbProcStateContext: kdbg.offsetPrcbProcStateContext,
    ...(kdbg.offsetPrcbContext !== undefined ? { prcbContext: kdbg.offsetPrcbContext } : t?.prcbContext !== undefined ? { prcbContext: t.prcbContext } : {}),
    pcrPrcb: kdbg.offsetPcrContainedPrcb || (t?.pcrPrcb ?? 0x180),
    kthreadApcProcess: kdbg.offsetKThreadApcProcess,
    ...(t?.prcbDebuggerSavedIrql !== undefined ? { prcbDebuggerSavedIrql: t.prcbDebuggerSavedIrql } : {}),
  };
}
