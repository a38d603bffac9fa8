import type { BugCheckEntry, ParamSpec } from './types.js';
import { NO_PARAMS } from './types.js';

/** Parameter 3 of 0x0A: bit 0 write, bit 3 execute. */
const ACCESS_BITS: ParamSpec = {
  text: 'What the access was: bit 0 set = write, bit 3 set = execute (bit 3 only where the chipset reports it).',
  values: [
    [0x0, 'Read from the address in Parameter 1.'],
    [0x1, 'Write to the address in Parameter 1.'],
    [0x8, 'Execute code at the address in Parameter 1.'],
  ],
};

/** IRQL, spin lock and synchronization bug checks. */
export const IRQL_CODES: readonly BugCheckEntry[] = [
  {
    code: 0xa,
    name: 'IRQL_NOT_LESS_OR_EQUAL',
    text: 'Kernel code touched pageable or invalid memory while the IRQL was too high to take a page fault: a bad pointer or a pageability mistake.',
    params: [
      'Virtual address that could not be accessed (below 0x1000 suggests a NULL pointer).',
      { text: 'IRQL at the time of the fault.', values: [[2, 'DISPATCH_LEVEL.']] },
      ACCESS_BITS,
      'Instruction pointer at the time of the fault (ln it).',
    ],
  },
  {
    code: 0xd1,
    name: 'DRIVER_IRQL_NOT_LESS_OR_EQUAL',
    text: 'A driver touched a pageable or invalid address while running at an IRQL too high for page faults (DISPATCH_LEVEL or above): a bad or freed pointer, or pageable code or data used at raised IRQL.',
    params: [
      'Memory address referenced.',
      'IRQL at the time of the reference.',
      {
        text: 'Kind of access.',
        values: [
          [0, 'Read.'],
          [1, 'Write.'],
          [2, 'Execute.'],
          [8, 'Execute.'],
        ],
      },
      'Address of the instruction that referenced the memory (ln it).',
    ],
  },
  {
    code: 0x1,
    name: 'APC_INDEX_MISMATCH',
    text: "On return from a system call or worker routine the thread's APC state did not balance: a driver or file system disabled APCs (or entered a critical/guarded region) without re-enabling them, or the reverse.",
    params: [
      'Address of the system call or worker routine.',
      "The thread's ApcStateIndex.",
      "The thread's CombinedApcDisable: (SpecialApcDisable << 16) | KernelApcDisable; a negative half means APCs were disabled and never re-enabled.",
      { text: 'Where the check ran.', values: [[0, 'On exit from a system call.'], [1, 'On return from a worker routine.']] },
    ],
  },
  { code: 0x8, name: 'IRQL_NOT_DISPATCH_LEVEL', text: 'Code that must run at DISPATCH_LEVEL ran at another IRQL. Rare.', params: NO_PARAMS },
  { code: 0x9, name: 'IRQL_NOT_GREATER_OR_EQUAL', text: 'Code found the IRQL lower than it required. Rare.', params: NO_PARAMS },
  {
    code: 0xf,
    name: 'SPIN_LOCK_ALREADY_OWNED',
    text: 'A spin lock was requested by its current owner: a recursive acquisition, or a holder that lowered its IRQL below the lock and let another thread on the processor ask for it.',
    params: NO_PARAMS,
  },
  { code: 0xd, name: 'MUTEX_LEVEL_NUMBER_VIOLATION', text: 'Mutexes were acquired out of their required level order. Rare.', params: NO_PARAMS },
  {
    code: 0x4a,
    name: 'IRQL_GT_ZERO_AT_SYSTEM_SERVICE',
    text: 'A thread was returning to user mode from a system call with its IRQL still above PASSIVE_LEVEL.',
    params: ['Address of the system call routine.', 'Current IRQL.', 'Zero.', 'Zero.'],
  },
  {
    code: 0xc7,
    name: 'TIMER_OR_DPC_INVALID',
    text: 'A kernel timer or DPC was found where it may not be (usually memory being freed while the timer or DPC is still queued), or a DPC routine left the APC disable count changed.',
    params: ['Subtype.', 'Depends on the subtype.', 'Depends on the subtype.', 'Depends on the subtype.'],
    subtypes: [
      { value: 0x0, text: 'A timer object lies in memory where timers are not allowed.', params: ['The timer object.', 'Start of the range checked.', 'End of the range checked.'] },
      { value: 0x1, text: 'A DPC object lies in memory where DPCs are not allowed.', params: ['The DPC object.', 'Start of the range checked.', 'End of the range checked.'] },
      { value: 0x2, text: 'A DPC routine lies in memory where DPCs are not allowed (e.g. an unloaded driver).', params: ['The DPC routine.', 'Start of the range checked.', 'End of the range checked.'] },
      { value: 0x3, text: 'The processor number in a DPC object is wrong.', params: ['The DPC object.', 'Processor number.', 'Number of processors.'] },
      { value: 0x4, text: 'A DPC routine changed the thread APC disable count.', params: ['The DPC routine.', 'APC disable count before the call.', 'APC disable count after the call.'] },
      { value: 0x5, text: 'A timer DPC routine changed the thread APC disable count.', params: ['The DPC routine.', 'APC disable count before the call.', 'APC disable count after the call.'] },
    ],
  },
  {
    code: 0xc8,
    name: 'IRQL_UNEXPECTED_VALUE',
    text: "The processor's IRQL was not what it should have been: some code raised it (e.g. took a spin lock) and never restored it.",
    params: [
      '(current IRQL << 16) | (expected IRQL << 8) | a unique check id; when the low byte is 0 or 1 the other parameters describe an APC.',
      'Zero, or the APC KernelRoutine.',
      'Zero, or the APC.',
      'Zero, or the APC NormalRoutine.',
    ],
  },
  {
    code: 0xe1,
    name: 'WORKER_THREAD_RETURNED_AT_BAD_IRQL',
    text: 'A work item routine returned with the IRQL at DISPATCH_LEVEL or above (it raised the IRQL or took a spin lock and never undid it). ln on Parameter 1 names the driver.',
    params: ['Address of the worker routine (ln it).', 'IRQL it returned at.', 'Work item parameter.', 'Work item address.'],
  },
];
