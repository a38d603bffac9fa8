import type { BugCheckEntry } from './types.js';
import { RESERVED } from './types.js';

/** Critical processes, threads, objects and handles. */
export const PROCESS_CODES: readonly BugCheckEntry[] = [
  {
    code: 0xef,
    name: 'CRITICAL_PROCESS_DIED',
    text: 'A process (or thread) marked critical ended, e.g. csrss.exe, wininit.exe, smss.exe or services.exe; Windows cannot continue without it. A user-mode dump of the process, if one exists, is the first thing to read.',
    params: [
      'The process object (!process it).',
      { text: 'What ended.', values: [[0, 'The process died.'], [1, 'A thread died.']] },
      RESERVED,
      RESERVED,
    ],
  },
  {
    code: 0xf4,
    name: 'CRITICAL_OBJECT_TERMINATION',
    text: 'A process or thread the system cannot run without exited or was terminated.',
    params: [
      { text: 'Type of the terminating object.', values: [[0x3, 'Process.'], [0x6, 'Thread.']] },
      'The terminating object.',
      'Image file name of the process.',
      'Address of an ASCII string explaining why.',
    ],
  },
  {
    code: 0xe2,
    name: 'MANUALLY_INITIATED_CRASH',
    text: 'Someone crashed the machine on purpose, from the kernel debugger or the keyboard (CrashOnCtrlScroll), to get a dump.',
    params: ['Not used.', 'Not used.', 'Not used.', 'Not used.'],
  },
  {
    code: 0xc000021a,
    name: 'STATUS_SYSTEM_PROCESS_TERMINATED',
    text: 'A vital user-mode subsystem (Winlogon or CSRSS) failed fatally, so Windows stopped; mismatched system files after a restore can also cause it. The real failure is in user mode.',
    params: ['Address of a string naming the problem.', 'Error code.', RESERVED, RESERVED],
  },
  {
    code: 0x5,
    name: 'INVALID_PROCESS_ATTACH_ATTEMPT',
    text: 'A thread attached to a process where that is not allowed: KeAttachProcess while already attached, returning from a call still attached, or attaching while a DPC runs. KeStackAttachProcess is the safe form.',
    params: [
      'Dispatcher object of the target process (or, if already attached, of the original process).',
      'Dispatcher object of the process the thread is attached to now.',
      "The thread's APC state index.",
      'Non-zero when a DPC is running on this processor.',
    ],
  },
  {
    code: 0x18,
    name: 'REFERENCE_BY_POINTER',
    text: "An object's reference count is impossible for its state: usually a driver dereferenced it once too often, so the count reached zero with handles still open or went negative.",
    params: ['Object type of the object being dereferenced.', 'The object (!object it).', RESERVED, RESERVED],
  },
  {
    code: 0x20,
    name: 'KERNEL_APC_PENDING_DURING_EXIT',
    text: "A thread exited with an APC still pending. A non-zero APC disable count means some driver's KeEnterCriticalRegion/FsRtlEnterFileSystem/mutex calls were not paired; a non-zero IRQL points at a cancel routine that returned at raised IRQL.",
    params: ['Address of the APC still pending.', "The thread's APC disable count (should be zero; negative = disabled and never re-enabled).", 'Current IRQL (should be zero).', RESERVED],
  },
  {
    code: 0x93,
    name: 'INVALID_KERNEL_HANDLE',
    text: 'Kernel code closed a protected or invalid handle with NtClose, or (with bad-handle detection on) referenced an invalid kernel handle.',
    params: [
      'The handle passed to NtClose (or referenced).',
      { text: 'What went wrong, or the handle table.', values: [[0, 'A protected handle was closed.'], [1, 'An invalid handle was closed or referenced.']] },
      'Zero.',
      { text: 'How it was caught.', values: [[0, 'By NtClose.'], [1, 'Bad-handle detection caught a reference to an invalid kernel handle (Parameter 2 is the handle table).']] },
    ],
  },
  {
    code: 0x96,
    name: 'INVALID_WORK_QUEUE_ITEM',
    text: 'KeRemoveQueue removed an entry whose flink or blink is NULL: usually a worker-thread work item queued twice.',
    params: [
      'The queue entry with the NULL link.',
      'The queue referenced (usually an ExWorkerQueue).',
      'Base of the ExWorkerQueue array (to tell whether the queue is one of them).',
      'If it is an ExWorkerQueue: the worker routine that would have run (names the driver).',
    ],
  },
  {
    code: 0x21,
    name: 'QUOTA_UNDERFLOW',
    text: 'More quota was returned to a process than had been charged to it.',
    params: ['The process originally charged, if known.', 'Quota type (see ps.h in the WDK).', 'Amount of quota originally charged and being returned.', 'Amount of quota left unreturned.'],
  },
];
