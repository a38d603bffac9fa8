import type { BugCheckEntry, ValueMeaning } from './types.js';
import { RESERVED } from './types.js';

/** WHEA error source types (0x124 Parameter 1, 0x122 source-type parameters). */
const WHEA_SOURCE_TYPES: readonly ValueMeaning[] = [
  [0x0, 'Machine check exception.'],
  [0x1, 'Corrected machine check.'],
  [0x2, 'Corrected platform error.'],
  [0x3, 'Non-maskable interrupt.'],
  [0x4, 'PCI Express error.'],
  [0x5, 'Generic or other error source.'],
  [0x6, 'IA64 INIT error source.'],
  [0x7, 'Boot error source.'],
  [0x8, 'SCI-based generic error source.'],
  [0x9, 'Itanium machine check abort.'],
  [0xa, 'Itanium machine check.'],
  [0xb, 'Itanium corrected platform error.'],
];

/** Hardware-reported failures: machine checks, WHEA, NMI, buses. */
export const HARDWARE_CODES: readonly BugCheckEntry[] = [
  {
    code: 0x124,
    name: 'WHEA_UNCORRECTABLE_ERROR',
    text: 'The hardware reported an error it could not correct, through the Windows Hardware Error Architecture (WHEA). Usually failing hardware, heat or overclocking.',
    params: [
      'Type of error source that reported the error.',
      'Address of the WHEA_ERROR_RECORD describing the error (!errrec it).',
      'Depends on Parameter 1.',
      'Depends on Parameter 1.',
    ],
    subtypes: [
      { value: 0x0, text: 'Machine check exception.', params: ['Address of the WHEA_ERROR_RECORD.', 'High 32 bits of MCi_STATUS of the failing MCA bank.', 'Low 32 bits of MCi_STATUS of the failing MCA bank.'] },
      { value: 0x1, text: 'Corrected machine check.', params: ['Address of the WHEA_ERROR_RECORD.', RESERVED, RESERVED] },
      { value: 0x2, text: 'Corrected platform error.', params: ['Address of the WHEA_ERROR_RECORD.', RESERVED, RESERVED] },
      { value: 0x3, text: 'Non-maskable interrupt (NMI).', params: ['Address of the WHEA_ERROR_RECORD.', RESERVED, RESERVED] },
      { value: 0x4, text: 'Uncorrectable PCI Express error.', params: ['Address of the WHEA_ERROR_RECORD.', RESERVED, RESERVED] },
      { value: 0x5, text: 'Generic hardware error.', params: ['Address of the WHEA_ERROR_RECORD.', RESERVED, RESERVED] },
      { value: 0x6, text: 'Initialization error.', params: ['Address of the WHEA_ERROR_RECORD.', RESERVED, RESERVED] },
      { value: 0x7, text: 'Boot error.', params: ['Address of the WHEA_ERROR_RECORD.', RESERVED, RESERVED] },
      { value: 0x8, text: 'Scalable Coherent Interface (SCI) generic error.', params: ['Address of the WHEA_ERROR_RECORD.', RESERVED, RESERVED] },
      { value: 0x9, text: 'Uncorrectable Itanium machine check abort.', params: ['Address of the WHEA_ERROR_RECORD.', 'Length of the SAL log, in bytes.', 'Address of the SAL log.'] },
      { value: 0xa, text: 'Corrected Itanium machine check.', params: ['Address of the WHEA_ERROR_RECORD.', RESERVED, RESERVED] },
      { value: 0xb, text: 'Corrected Itanium platform error.', params: ['Address of the WHEA_ERROR_RECORD.', RESERVED, RESERVED] },
    ],
  },
  {
    code: 0x9c,
    name: 'MACHINE_CHECK_EXCEPTION',
    text: 'The processor reported a fatal machine check. Since Vista this code appears only before WHEA is ready; later machine checks use 0x124.',
    params: [
      'x64 and MCA processors: number of the failing bank (old Pentium: low 32 bits of P5_MC_TYPE).',
      'Address of the MCA_EXCEPTION structure.',
      'High 32 bits of MCi_STATUS of that bank (old Pentium: high half of P5_MC_ADDR).',
      'Low 32 bits of MCi_STATUS of that bank (old Pentium: low half of P5_MC_ADDR).',
    ],
  },
  {
    code: 0x2e,
    name: 'DATA_BUS_ERROR',
    text: 'A memory parity or bus error: almost always hardware (RAM, cache, video RAM), or a driver touching a physical address that does not exist.',
    params: ['Virtual address that faulted.', 'Physical address that faulted.', 'Processor status register (PSR).', 'Faulting instruction register (FIR).'],
  },
  {
    code: 0x80,
    name: 'NMI_HARDWARE_FAILURE',
    text: 'A non-maskable interrupt reported a hardware malfunction; the exact part is hard to tell (recent hardware, mismatched memory modules).',
    params: ['Not used.', 'Not used.', 'Not used.', 'Not used.'],
  },
  {
    code: 0xf2,
    name: 'HARDWARE_INTERRUPT_STORM',
    text: 'A level-triggered interrupt stayed asserted (an interrupt storm): a device that does not drop its line, a driver that does not dismiss or wrongly claims a shared interrupt, or a bad trigger configuration.',
    params: [
      'ISR (or first ISR of the chain) connected to the storming vector.',
      'ISR context value.',
      'Interrupt object of the storming vector.',
      { text: 'Whether the ISR is chained.', values: [[1, 'Not chained: the module of Parameter 1 is very likely the culprit.'], [2, 'Chained: Parameter 1 is only the first ISR of the chain, not necessarily the culprit.']] },
    ],
  },
  {
    code: 0x12b,
    name: 'FAULTY_HARDWARE_CORRUPTED_PAGE',
    text: 'A single-bit error was found in a page: failing memory hardware.',
    params: ['Virtual address mapping the corrupt page.', 'Physical page number.', 'Zero (reserved).', 'Zero (reserved).'],
  },
  {
    code: 0x122,
    name: 'WHEA_INTERNAL_ERROR',
    text: 'WHEA itself failed: a vendor PSHED plug-in bug, or firmware error records or error injection implemented wrongly.',
    params: ['Subtype.', 'Depends on the subtype.', 'Depends on the subtype.', 'Depends on the subtype.'],
    subtypes: [
      { value: 0x1, text: 'Not enough memory for all error sources of the hardware error source table.', params: ['Size of memory.', 'Error source count.', 'Zero.'] },
      { value: 0x2, text: 'Not enough memory for a WHEA block per processor.', params: ['Number of processors.', 'Zero.', 'Zero.'] },
      { value: 0x5, text: 'Not enough memory for the error sources, or enumerating them failed.', params: ['Status.', 'Initialization phase.', 'Zero.'] },
      { value: 0x6, text: 'An error source failed to initialize.', params: ['Status.', 'Phase.', { text: 'Error source type.', values: WHEA_SOURCE_TYPES }] },
      { value: 0x7, text: 'Not enough memory.', params: ['Status.', 'Zero.', 'Zero.'] },
      { value: 0x8, text: 'Not enough memory for all error source descriptors.', params: ['Number of error sources.', 'Zero.', 'Zero.'] },
      { value: 0x9, text: 'An uncorrected error came from an invalid error source.', params: [{ text: 'Error source type.', values: WHEA_SOURCE_TYPES }, 'Source id.', 'Zero.'] },
      { value: 0xa, text: 'No error record could be allocated for an uncorrected error.', params: [{ text: 'Error source type.', values: WHEA_SOURCE_TYPES }, 'Source id.', 'Zero.'] },
      { value: 0xb, text: 'The error record of an uncorrected error could not be filled in.', params: [{ text: 'Error source type.', values: WHEA_SOURCE_TYPES }, 'Source id.', 'Zero.'] },
    ],
  },
];
