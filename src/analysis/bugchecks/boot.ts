import type { BugCheckEntry } from './types.js';
import { NO_PARAMS, RESERVED } from './types.js';

/** Start-up, initialization, configuration (registry) and setup bug checks. */
export const BOOT_CODES: readonly BugCheckEntry[] = [
  {
    code: 0x51,
    name: 'REGISTRY_ERROR',
    text: 'The configuration manager hit a severe registry error, e.g. an I/O error reading a hive (hardware or file-system damage) or a failed refresh under resource limits.',
    params: [RESERVED, RESERVED, 'Pointer to the hive, if known.', 'Return code of HvCheckHive when the hive is corrupt, if known.'],
  },
  { code: 0x5c, name: 'HAL_INITIALIZATION_FAILED', text: 'The hardware abstraction layer (HAL) failed to initialize.', params: NO_PARAMS },
  {
    code: 0x67,
    name: 'CONFIG_INITIALIZATION_FAILED',
    text: 'The registry could not get the pool it needs to hold its hives during start-up (should never happen that early).',
    params: [RESERVED, 'Location selector.', 'NTSTATUS code.', RESERVED],
  },
  {
    code: 0x74,
    name: 'BAD_SYSTEM_CONFIG_INFO',
    text: 'The SYSTEM hive is corrupt or critical registry keys or values are missing (often after manual edits or a misbehaving program).',
    params: [RESERVED, RESERVED, RESERVED, 'NTSTATUS code, if available.'],
  },
  {
    code: 0x79,
    name: 'MISMATCHED_HAL',
    text: 'The HAL does not match the kernel or the machine (revision, build type, or loader version), typically after a manual file replacement or an MP/UP mix-up.',
    params: ['Kind of mismatch.', 'Depends on Parameter 1.', 'Depends on Parameter 1.', 'Depends on Parameter 1.'],
    subtypes: [
      { value: 0x1, text: 'The PRCB release levels differ (one file is out of date).', params: ['Major PRCB level of ntoskrnl.exe.', 'Major PRCB level of hal.dll.', RESERVED] },
      {
        value: 0x2,
        text: 'The build types differ.',
        params: [
          { text: 'Build type of ntoskrnl.exe.', values: [[0, 'Multiprocessor free.'], [1, 'Multiprocessor checked.'], [2, 'Uniprocessor free.'], [3, 'Uniprocessor checked.']] },
          { text: 'Build type of hal.dll.', values: [[0, 'Multiprocessor free.'], [1, 'Multiprocessor checked.'], [2, 'Uniprocessor free.'], [3, 'Uniprocessor checked.']] },
          RESERVED,
        ],
      },
      { value: 0x3, text: 'The loader and the HAL versions differ.', params: ['Size of the loader parameter extension.', 'Its major version.', 'Its minor version.'] },
    ],
  },
];
