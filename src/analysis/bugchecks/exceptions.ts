import { exceptionCodeValues } from '../exception-codes.js';
import type { BugCheckEntry, ParamSpec } from './types.js';
import { NO_PARAMS, RESERVED } from './types.js';

/** A parameter that holds an NTSTATUS exception code, decoded by name. */
const EXCEPTION_CODE: ParamSpec = { text: 'Exception code that was not handled.', values: exceptionCodeValues() };

/** Unhandled exceptions and traps in kernel mode. */
export const EXCEPTION_CODES: readonly BugCheckEntry[] = [
  {
    code: 0x1e,
    name: 'KMODE_EXCEPTION_NOT_HANDLED',
    text: 'Kernel-mode code raised an exception and no handler caught it. The exception code (Parameter 1) says what kind; the address (Parameter 2) usually names the driver.',
    params: [
      EXCEPTION_CODE,
      'Address where the exception happened.',
      'First parameter of the exception (for an access violation: 0 read, 1 write, 8 execute).',
      'Second parameter of the exception (for an access violation: the address accessed).',
    ],
  },
  {
    code: 0x3b,
    name: 'SYSTEM_SERVICE_EXCEPTION',
    text: 'An exception was raised while a system service was running on behalf of a caller, during the switch from user code to kernel code, and nothing handled it.',
    params: [
      EXCEPTION_CODE,
      'Address of the instruction that raised the exception.',
      'Address of the context record of the exception (.cxr it, then kb).',
      'Not used (zero).',
    ],
  },
  {
    code: 0x7e,
    name: 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED',
    text: 'A system thread raised an exception that no handler caught. Parameter 2 usually points into the responsible driver.',
    params: [
      EXCEPTION_CODE,
      'Address where the exception happened.',
      'Address of the exception record (.exr it).',
      'Address of the context record (.cxr it, then kb).',
    ],
  },
  {
    code: 0x7f,
    name: 'UNEXPECTED_KERNEL_MODE_TRAP',
    text: 'The processor raised a trap in kernel mode that the kernel does not allow or could not handle, most often a double fault (a fault while delivering another, e.g. a kernel stack overflow) or failing hardware.',
    params: [
      {
        text: 'Trap number (x86/x64 exception vector).',
        values: [
          [0x0, 'Divide error: DIV/IDIV with a zero divisor or an overflowing quotient.'],
          [0x1, 'Debug trap (system-debugger call).'],
          [0x3, 'Breakpoint.'],
          [0x4, 'Overflow: INTO executed with OF set.'],
          [0x5, 'BOUND range exceeded.'],
          [0x6, 'Invalid opcode: the instruction pointer is probably corrupt (often bad memory).'],
          [0x7, 'Coprocessor instruction with no coprocessor.'],
          [0x8, 'Double fault: usually a kernel stack overflow (check !thread stack limits, kb 100) or hardware.'],
          [0xa, 'Invalid task state segment.'],
          [0xb, 'Segment not present.'],
          [0xc, 'Stack segment fault (access beyond the stack limits).'],
          [0xd, 'General protection fault.'],
        ],
      },
      RESERVED,
      RESERVED,
      RESERVED,
    ],
  },
  {
    code: 0x8e,
    name: 'KERNEL_MODE_EXCEPTION_NOT_HANDLED',
    text: 'Kernel-mode code raised an exception that no handler caught. Parameter 2 usually points into the responsible driver; Parameter 3 gives the trap frame.',
    params: [EXCEPTION_CODE, 'Address where the exception happened.', 'Address of the trap frame (.trap it).', RESERVED],
  },
  {
    code: 0x3d,
    name: 'INTERRUPT_EXCEPTION_NOT_HANDLED',
    text: 'An exception raised while an interrupt was being serviced was not handled. Rare.',
    params: ['Exception record address.', 'Context record address.', 'Not used (zero).', 'Not used (zero).'],
  },
  {
    code: 0x12,
    name: 'TRAP_CAUSE_UNKNOWN',
    text: 'The kernel received an interrupt or exception it could not classify.',
    params: [
      { text: 'Kind of unknown trap.', values: [[1, 'Unexpected interrupt (Parameter 2 is the vector).'], [2, 'Unknown floating-point exception.'], [3, 'Enabled and asserted status bits (processor specific).']] },
      'Depends on Parameter 1 (for 1: the interrupt vector).',
      RESERVED,
      RESERVED,
    ],
  },
  {
    code: 0x2b,
    name: 'PANIC_STACK_SWITCH',
    text: 'The kernel-mode stack overflowed, normally because a driver used too much stack (or kernel data is badly corrupted).',
    params: ['The trap frame.', RESERVED, RESERVED, RESERVED],
  },
  { code: 0x4c, name: 'FATAL_UNHANDLED_HARD_ERROR', text: 'A fatal hard error was raised during start-up before it could be handled. Rare.', params: NO_PARAMS },
];
