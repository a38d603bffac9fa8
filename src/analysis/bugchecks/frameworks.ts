import type { BugCheckEntry } from './types.js';
import { RESERVED } from './types.js';

/** Driver frameworks (KMDF). */
export const FRAMEWORK_CODES: readonly BugCheckEntry[] = [
  {
    code: 0x10d,
    name: 'WDF_VIOLATION',
    text: 'The Kernel-Mode Driver Framework found a framework-based driver breaking its rules. !wdfkd.wdflogdump on the driver usually explains more.',
    params: ['Subtype: the KMDF error code.', 'Depends on the subtype.', 'Depends on the subtype.', RESERVED],
    subtypes: [
      { value: 0x1, text: 'A framework driver timed out in a power operation (often DO_POWER_PAGABLE missing and a pageable access after the paging stack powered down).', params: ['WDF_POWER_ROUTINE_TIMED_OUT_DATA.', RESERVED, RESERVED] },
      { value: 0x2, text: 'A lock already held is being acquired again.', params: [RESERVED, RESERVED, RESERVED] },
      { value: 0x3, text: 'WDF Verifier: a request was completed but its object cannot be deleted, its buffers are still referenced.', params: ['WDFREQUEST handle.', 'References still held on the buffers.', RESERVED] },
      { value: 0x4, text: 'NULL was passed where a value is required (ln on Parameter 3 names the function).', params: [RESERVED, "Caller's address.", RESERVED] },
      { value: 0x5, text: 'A framework method got a handle of the wrong object type.', params: ['The handle passed.', RESERVED, RESERVED] },
      {
        value: 0x6,
        text: 'A fatal error handling a WDF request (Parameter 2 says which).',
        params: [
          {
            text: 'WDF_REQUEST_FATAL_ERROR code.',
            values: [
              [0x1, 'No I/O stack location left to format the IRP (P3: the IRP).'],
              [0x2, 'Formatting a request that holds no IRP (P3: the request).'],
              [0x3, 'Sending a request already sent to an I/O target (P3: the request).'],
              [0x4, 'Completed with more bytes written than the IRP allows (P3: mismatch data).'],
            ],
          },
          'Depends on Parameter 2: the IRP, the request handle, or the length-mismatch data.',
          RESERVED,
        ],
      },
      { value: 0x7, text: 'WdfObjectDereference was used to delete an object instead of WdfObjectDelete.', params: ['Handle of the object (!wdfkd.wdfhandle).', RESERVED, RESERVED] },
      { value: 0x8, text: 'A DMA transaction object was used in the wrong state.', params: ['DMA transaction handle.', RESERVED, RESERVED] },
      { value: 0x9, text: 'Not used.', params: [RESERVED, RESERVED, RESERVED] },
      { value: 0xa, text: 'A fatal error while processing a queued request.', params: ['WDF_QUEUE_FATAL_ERROR_DATA.', RESERVED, RESERVED] },
      {
        value: 0xb,
        text: 'Invalid lock acquire or release (Parameter 3 says which).',
        params: ['The handle, or the WDF spin lock.', { text: 'Lock error.', values: [[0, 'The object does not support synchronization locks.'], [1, 'The spin lock is released by a thread that did not acquire it.']] }, RESERVED],
      },
      { value: 0xc, text: 'A state-changing PnP IRP arrived while another was being processed.', params: ['WDFDEVICE handle.', 'The new PnP IRP.', RESERVED] },
      { value: 0xd, text: 'The power policy owner received a power IRP it did not request (more than one policy owner).', params: ['WDFDEVICE handle.', 'The power IRP.', RESERVED] },
      { value: 0xe, text: 'An event callback returned at a different IRQL than it was called at.', params: ['IRQL at the call.', 'IRQL at return.', RESERVED] },
      { value: 0xf, text: 'An event callback entered a critical region and did not leave it.', params: ['The event callback.', RESERVED, RESERVED] },
    ],
  },
];
