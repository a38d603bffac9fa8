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

/**
 * Kernel object offsets the extension commands read (`!prcb`, `!thread`, `!process`), all x64.
 * KDDEBUGGER_DATA64 has none of these, so the table is the only source; builds it does not
 * cover get no object details rather than guessed ones.
 */
export interface ObjectOffsets {
  readonly prcbNextThread: number;
  readonly prcbIdleThread: number;
  readonly prcbGroup: number;
  readonly prcbGroupIndex: number;
  readonly prcbGroupSetMember: number;
  /** KPRCB.InterruptCount; KernelTime, UserTime, DpcTime and InterruptTime follow as ULONGs. */
  readonly prcbInterruptCount: number;
  readonly kthreadInitialStack: number;
  readonly kthreadStackLimit: number;
  readonly kthreadStackBase: number;
  readonly kthreadKernelStack: number;
  /** KTHREAD.MiscFlags and the bit of its Alertable flag. */
  readonly kthreadMiscFlags: number;
  readonly kthreadAlertableBit: number;
  readonly kthreadPriority: number;
  readonly kthreadBasePriority: number;
  /** KTHREAD.PriorityDecrement (Win8+: ForegroundBoost low nibble, UnusualBoost high nibble). */
  readonly kthreadPriorityDecrement: number;
  readonly kthreadState: number;
  readonly kthreadWaitMode: number;
  readonly kthreadWaitReason: number;
  readonly kthreadNextProcessor: number;
  readonly kthreadTeb: number;
  readonly kthreadWin32Thread: number;
  readonly kthreadProcess: number;
  readonly kthreadContextSwitches: number;
  readonly kthreadIdealProcessor: number;
  /** KTHREAD.CallbackStack (Win7 only; later kernels have no such field). */
  readonly kthreadCallbackStack?: number;
  readonly ethreadCid: number;
  readonly ethreadWin32StartAddress: number;
  /** ETHREAD.CrossThreadFlags: bit 3 ActiveImpersonationInfo, then the I/O and page priority fields. */
  readonly ethreadCrossThreadFlags: number;
  readonly ioPriorityShift: number;
  readonly pagePriorityShift: number;
  readonly eprocessDirectoryTableBase: number;
  readonly eprocessUniqueProcessId: number;
  readonly eprocessActiveProcessLinks: number;
  readonly eprocessInheritedFromUniqueProcessId: number;
  readonly eprocessPeb: number;
  readonly eprocessSession: number;
  readonly eprocessObjectTable: number;
  readonly eprocessDeviceMap: number;
  readonly eprocessImageFileName: number;
  /** MM_SESSION_SPACE.SessionId. */
  readonly sessionId: number;
  /** HANDLE_TABLE.HandleCount (gone from Windows 8.1 on: undefined there). */
  readonly handleTableHandleCount?: number;
}

const OBJECT_TABLE: readonly { readonly builds: readonly [number, number]; readonly offsets: ObjectOffsets }[] = [
  {
    // Windows 7 SP1 x64. Source: ntdiff/headers Win7_SP1/x64/System32/ntoskrnl.exe/Standalone
    // _KPRCB.h (NextThread 0x10, IdleThread 0x18, Group 0x658, GroupSetMember 0x660, GroupIndex
    // 0x668, InterruptCount 0x4700..InterruptTime 0x4710), _KTHREAD.h (size 0x360: InitialStack
    // 0x28, StackLimit 0x30, KernelStack 0x38, MiscFlags 0x4c with Alertable bit 5, Priority 0x7b,
    // NextProcessor 0x7c, Teb 0xb8, ContextSwitches 0x134, State 0x164, WaitMode 0x167,
    // CallbackStack 0x1e8, BasePriority 0x1f1, PriorityDecrement 0x1f2, Process 0x210,
    // IdealProcessor 0x228, WaitReason 0x26b, Win32Thread 0x270, StackBase 0x278), _ETHREAD.h
    // (Cid 0x3b0, Win32StartAddress 0x410, CrossThreadFlags 0x448: ThreadIoPriority bits 10-12,
    // ThreadPagePriority bits 13-15), _EPROCESS.h (UniqueProcessId 0x180, ActiveProcessLinks 0x188,
    // ObjectTable 0x200, InheritedFromUniqueProcessId 0x290, DeviceMap 0x2b0, Session 0x2d8,
    // ImageFileName 0x2e0, Peb 0x338; KPROCESS.DirectoryTableBase 0x28), _MM_SESSION_SPACE.h
    // (SessionId 0x8); a Win7-era x64 _HANDLE_TABLE header (HandleCount 0x58, size 0x60).
    builds: [7600, 7601],
    offsets: {
      prcbNextThread: 0x10,
      prcbIdleThread: 0x18,
      prcbGroup: 0x658,
      prcbGroupIndex: 0x668,
      prcbGroupSetMember: 0x660,
      prcbInterruptCount: 0x4700,
      kthreadInitialStack: 0x28,
      kthreadStackLimit: 0x30,
      kthreadStackBase: 0x278,
      kthreadKernelStack: 0x38,
      kthreadMiscFlags: 0x4c,
      kthreadAlertableBit: 5,
      kthreadPriority: 0x7b,
      kthreadBasePriority: 0x1f1,
      kthreadPriorityDecrement: 0x1f2,
      kthreadState: 0x164,
      kthreadWaitMode: 0x167,
      kthreadWaitReason: 0x26b,
      kthreadNextProcessor: 0x7c,
      kthreadTeb: 0xb8,
      kthreadWin32Thread: 0x270,
      kthreadProcess: 0x210,
      kthreadContextSwitches: 0x134,
      kthreadIdealProcessor: 0x228,
      kthreadCallbackStack: 0x1e8,
      ethreadCid: 0x3b0,
      ethreadWin32StartAddress: 0x410,
      ethreadCrossThreadFlags: 0x448,
      ioPriorityShift: 10,
      pagePriorityShift: 13,
      eprocessDirectoryTableBase: 0x28,
      eprocessUniqueProcessId: 0x180,
      eprocessActiveProcessLinks: 0x188,
      eprocessInheritedFromUniqueProcessId: 0x290,
      eprocessPeb: 0x338,
      eprocessSession: 0x2d8,
      eprocessObjectTable: 0x200,
      eprocessDeviceMap: 0x2b0,
      eprocessImageFileName: 0x2e0,
      sessionId: 0x8,
      handleTableHandleCount: 0x58,
    },
  },
  {
    // Windows 10 2004..22H2 x64 (19041-19045). Sources: ntdiff/headers
    // Win10_20H2_20H2/x64/System32/ntoskrnl.exe/Standalone/_EPROCESS.h (UniqueProcessId 0x440,
    // ActiveProcessLinks 0x448, InheritedFromUniqueProcessId 0x540, Peb 0x550, Session 0x558,
    // ObjectTable 0x570, DeviceMap 0x588, ImageFileName 0x5a8, size 0xa40 = KDBG SizeEProcess);
    // an x64 _KTHREAD header of size 0x430 from the same repository (InitialStack 0x28,
    // StackLimit 0x30, StackBase 0x38, KernelStack 0x58, MiscFlags 0x74 with Alertable bit 4,
    // ApcState 0x98 (so ApcState.Process 0xb8 = KDBG OffsetKThreadApcProcess), Priority 0xc3,
    // Teb 0xf0, ContextSwitches 0x154, State 0x184, WaitMode 0x187, Win32Thread 0x1c8,
    // NextProcessor 0x218, Process 0x220, BasePriority 0x233, PriorityDecrement 0x234,
    // IdealProcessor 0x24c, WaitReason 0x283). Checked against rizin-testbins triage_x64.dmp
    // (19041), whose ETHREAD/EPROCESS/KPRCB copies give: stack 0x28/0x30/0x38 inside the stored
    // call stack, State 2 (Running), Process == ApcState.Process, Cid 0x478 = {4, 0x108},
    // Win32StartAddress 0x4d0, CrossThreadFlags 0x510 = 0x5402 (I/O priority 2 at bits 9-11, page
    // priority 5 at bits 12-14: the defaults), ImageFileName "System", DirectoryTableBase ==
    // the header's; KPRCB GroupSetMember 0xc8 = 1 << Number, Group 0xd0, GroupIndex 0xd1 =
    // Number on all 16 processors; InterruptCount 0x7e80..InterruptTime 0x7e90 sit just before
    // DebuggerSavedIRQL 0x7e98 as on Win7 (KernelTime 0xef ticks = the dump's 3.7 s uptime).
    // MM_SESSION_SPACE.SessionId 0x8 is carried over from Win7 (UNVERIFIED for 19041).
    builds: [19041, 19045],
    offsets: {
      prcbNextThread: 0x10,
      prcbIdleThread: 0x18,
      prcbGroup: 0xd0,
      prcbGroupIndex: 0xd1,
      prcbGroupSetMember: 0xc8,
      prcbInterruptCount: 0x7e80,
      kthreadInitialStack: 0x28,
      kthreadStackLimit: 0x30,
      kthreadStackBase: 0x38,
      kthreadKernelStack: 0x58,
      kthreadMiscFlags: 0x74,
      kthreadAlertableBit: 4,
      kthreadPriority: 0xc3,
      kthreadBasePriority: 0x233,
      kthreadPriorityDecrement: 0x234,
      kthreadState: 0x184,
      kthreadWaitMode: 0x187,
      kthreadWaitReason: 0x283,
      kthreadNextProcessor: 0x218,
      kthreadTeb: 0xf0,
      kthreadWin32Thread: 0x1c8,
      kthreadProcess: 0x220,
      kthreadContextSwitches: 0x154,
      kthreadIdealProcessor: 0x24c,
      ethreadCid: 0x478,
      ethreadWin32StartAddress: 0x4d0,
      ethreadCrossThreadFlags: 0x510,
      ioPriorityShift: 9,
      pagePriorityShift: 12,
      eprocessDirectoryTableBase: 0x28,
      eprocessUniqueProcessId: 0x440,
      eprocessActiveProcessLinks: 0x448,
      eprocessInheritedFromUniqueProcessId: 0x540,
      eprocessPeb: 0x550,
      eprocessSession: 0x558,
      eprocessObjectTable: 0x570,
      eprocessDeviceMap: 0x588,
      eprocessImageFileName: 0x5a8,
      sessionId: 0x8,
    },
  },
];

/** Object offsets for `build`, or undefined for builds the table does not cover. */
export function objectOffsets(build: number): ObjectOffsets | undefined {
  return OBJECT_TABLE.find((e) => build >= e.builds[0] && build <= e.builds[1])?.offsets;
}
