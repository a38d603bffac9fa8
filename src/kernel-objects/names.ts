/** Names kd prints for kernel enumerations (public values from wdm.h / ntddk.h). */

/** KTHREAD_STATE, as `!thread` words it on its first line. */
const THREAD_STATES = ['INITIALIZED', 'READY', 'RUNNING', 'STANDBY', 'TERMINATED', 'WAIT', 'TRANSITION', 'DEFERREDREADY', 'GATEWAIT', 'WAITINGFORPROCESSINSWAP'];

/** The state word for KTHREAD.State, or `STATE <n>` for values past the enumeration. */
export function threadStateName(state: number): string {
  return THREAD_STATES[state] ?? `STATE ${state}`;
}

/** KWAIT_REASON (wdm.h) in enumeration order. */
const WAIT_REASONS = [
  'Executive', 'FreePage', 'PageIn', 'PoolAllocation', 'DelayExecution', 'Suspended', 'UserRequest',
  'WrExecutive', 'WrFreePage', 'WrPageIn', 'WrPoolAllocation', 'WrDelayExecution', 'WrSuspended', 'WrUserRequest',
  'WrEventPair', 'WrQueue', 'WrLpcReceive', 'WrLpcReply', 'WrVirtualMemory', 'WrPageOut', 'WrRendezvous',
  'WrKeyedEvent', 'WrTerminated', 'WrProcessInSwap', 'WrCpuRateControl', 'WrCalloutStack', 'WrKernel',
  'WrResource', 'WrPushLock', 'WrMutex', 'WrQuantumEnd', 'WrDispatchInt', 'WrPreempted', 'WrYieldExecution',
  'WrFastMutex', 'WrGuardedMutex', 'WrRundown', 'WrAlertByThreadId', 'WrDeferredPreempt',
];

/** The KWAIT_REASON name, or the number for values past the enumeration. */
export function waitReasonName(reason: number): string {
  return WAIT_REASONS[reason] ?? `WaitReason ${reason}`;
}

/** MM protection (the 5-bit Protection field of a software PTE): low 3 bits. */
const PROTECTIONS = ['NoAccess', 'ReadOnly', 'Execute', 'ExecuteRead', 'ReadWrite', 'WriteCopy', 'ExecuteReadWrite', 'ExecuteWriteCopy'];
/** Bits 3-4: cache attributes and guard. */
const PROTECTION_MODIFIERS = ['', 'NoCache', 'Guard', 'WriteCombine'];

/** `4 - ReadWrite`, as `!pte` prints a software PTE's protection. */
export function protectionText(protection: number): string {
  const base = PROTECTIONS[protection & 7]!;
  const modifier = PROTECTION_MODIFIERS[(protection >> 3) & 3]!;
  return `${protection.toString(16)} - ${modifier ? `${base} ${modifier}` : base}`;
}
