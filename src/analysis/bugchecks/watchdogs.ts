import type { BugCheckEntry } from './types.js';
import { RESERVED } from './types.js';

/** Power, watchdog and hang bug checks. */
export const WATCHDOG_CODES: readonly BugCheckEntry[] = [
  {
    code: 0x9f,
    name: 'DRIVER_POWER_STATE_FAILURE',
    text: 'A driver left a power request unfinished or broke the rules of power IRP handling, leaving the device in an inconsistent power state.',
    params: ['Subtype: what went wrong with the power request.', 'Depends on the subtype.', 'Depends on the subtype.', 'Depends on the subtype.'],
    subtypes: [
      { value: 0x1, text: 'A device object is being freed while a power request it owns is still outstanding.', params: ['The device object.', RESERVED, RESERVED] },
      { value: 0x2, text: 'A driver completed a system power IRP without calling PoStartNextPowerIrp.', params: ["The target device's device object, if known.", 'The device object.', 'The driver object, if known.'] },
      {
        value: 0x3,
        text: 'A device stack held a power IRP for too long without completing it.',
        params: ['Physical device object (PDO) of the stack.', 'Windows 7 and later: nt!TRIAGE_9F_POWER (dt it); earlier: the functional device object.', 'The blocked IRP (!irp it).'],
      },
      { value: 0x4, text: 'A power transition timed out waiting to synchronize with Plug and Play.', params: ['Timeout, in seconds.', 'Thread holding the PnP lock.', 'Windows 7 and later: nt!TRIAGE_9F_PNP.'] },
      { value: 0x500, text: 'A driver completed a system power IRP without calling PoStartNextPowerIrp.', params: [RESERVED, "The target device's device object, if known.", 'The device object.'] },
    ],
  },
  {
    code: 0x101,
    name: 'CLOCK_WATCHDOG_TIMEOUT',
    text: 'A secondary processor of a multiprocessor system missed its clock interrupt for longer than allowed: that processor is hung and not servicing interrupts.',
    params: [
      'Timeout interval, in nominal clock ticks.',
      'Not used (zero).',
      'PRCB address of the processor that stopped responding.',
      'Index of the hung processor; older docs say reserved.',
    ],
  },
  {
    code: 0x133,
    name: 'DPC_WATCHDOG_VIOLATION',
    text: 'The DPC watchdog fired: one DPC or ISR ran too long, or the processor stayed at DISPATCH_LEVEL or above for too long in total.',
    params: [
      {
        text: 'Which watchdog fired.',
        values: [
          [0, 'A single DPC or ISR ran past its time allotment; the stack usually shows the culprit.'],
          [1, 'The processor spent too long, cumulatively, at DISPATCH_LEVEL or above; the stack may not show the culprit.'],
        ],
      },
      'Depends on Parameter 1.',
      'Depends on Parameter 1.',
      'Depends on Parameter 1.',
    ],
    subtypes: [
      { value: 0, text: 'A single DPC or ISR ran past its time allotment.', params: ['DPC time count, in ticks.', 'DPC time allotment, in ticks.', 'Reserved (newer docs: a triage block).'] },
      { value: 1, text: 'Cumulative time at DISPATCH_LEVEL or above exceeded the watchdog period.', params: ['The watchdog period.', 'Newer docs: nt!DPC_WATCHDOG_GLOBAL_TRIAGE_BLOCK (dt it); older docs: reserved.', RESERVED] },
    ],
  },
  {
    code: 0xea,
    name: 'THREAD_STUCK_IN_DEVICE_DRIVER',
    text: 'A thread spun forever inside a device driver, usually waiting for hardware to go idle: a bad video card or a display driver programming it wrongly. .thread on Parameter 1, then kb.',
    params: [
      'The stuck thread (.thread it, then kb).',
      'The DEFERRED_WATCHDOG object.',
      'Pointer to the name of the offending driver.',
      'Under a kernel debugger: how many times the intercepted 0xEA was hit; on the blue screen: 1.',
    ],
  },
  {
    code: 0x14f,
    name: 'PDC_WATCHDOG_TIMEOUT',
    text: 'A component did not answer the power dependency coordinator in time, so the system could not leave connected standby.',
    params: [
      'Client id of the hung component.',
      {
        text: 'Client type of the hung component.',
        values: [
          [0x1, 'A notification client did not respond (P3: PDC_NOTIFICATION_CLIENT, P4: pdc!PDC_14F_TRIAGE).'],
          [0x2, 'A resiliency client did not respond (P3: PDC_RESILIENCY_CLIENT, P4: pdc!PDC_14F_TRIAGE).'],
          [0x3, 'An activator client held a reference too long (P3: pdc!_PDC_ACTIVATOR_CLIENT, P4: pdc!PDC_14F_TRIAGE).'],
          [0x100, 'Win32k did not finish a monitor-on request in time (P3: POWER_MONITOR_REQUEST_REASON, P4: internal path id).'],
        ],
      },
      'Depends on Parameter 2 (the client object, or the monitor request reason).',
      'Depends on Parameter 2 (pdc!PDC_14F_TRIAGE, or an internal path id).',
    ],
  },
  {
    code: 0x1ca,
    name: 'SYNTHETIC_WATCHDOG_TIMEOUT',
    text: 'A system-wide watchdog expired: the machine is hung and not processing timer ticks.',
    params: ['Time since the watchdog was last reset, in interrupt time.', 'Current interrupt time.', 'Current QPC timestamp.', 'Index of the clock processor.'],
  },
  {
    code: 0x102,
    name: 'DPC_WATCHDOG_TIMEOUT',
    text: 'The DPC watchdog routine did not run in time: an ISR hung between DISPATCH_LEVEL and clock level, or a DPC routine hung on the processor named (e.g. long I/O completion chains).',
    params: ['DPC watchdog timeout interval, in nominal clock ticks.', 'Address of the PRCB of the hung processor.', RESERVED, RESERVED],
  },
];
