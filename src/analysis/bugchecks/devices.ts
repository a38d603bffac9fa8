import type { BugCheckEntry } from './types.js';
import { RESERVED } from './types.js';

/** Bus and device-stack bug checks (USB, PCI, PnP, ACPI, I/O manager). */
export const DEVICE_CODES: readonly BugCheckEntry[] = [
  {
    code: 0xfe,
    name: 'BUGCODE_USB_DRIVER',
    text: 'A USB driver (client, hub, port or miniport) detected a fatal error. Parameter 1 names the violation.',
    params: ['Subtype: the kind of USB violation.', 'Depends on the subtype.', 'Depends on the subtype.', 'Depends on the subtype.'],
    subtypes: [
      { value: 0x1, text: 'Internal error in the USB stack.', params: [RESERVED, RESERVED, RESERVED] },
      { value: 0x2, text: 'A client driver submitted a URB that is still attached to another IRP pending in the bus driver.', params: ['Address of the pending IRP.', 'Address of the IRP passed in.', 'Address of the offending URB.'] },
      { value: 0x3, text: 'The USB miniport driver bug-checked, usually because of a hardware failure.', params: [RESERVED, RESERVED, RESERVED] },
      { value: 0x4, text: 'IRP_URB_DOUBLE_SUBMIT: the caller submitted an IRP that is already pending in the USB bus driver.', params: ['Address of the IRP.', 'Address of the URB.', RESERVED] },
      { value: 0x5, text: 'Hardware failure: a bad physical address in a host-controller data structure.', params: ['Device extension of the host controller.', 'PCI vendor and product id of the controller.', 'Pointer to the endpoint data structure.'] },
      { value: 0x6, text: 'An internal USB object is corrupt.', params: ['Address of the object.', 'Signature expected.', RESERVED] },
      { value: 0x7, text: 'usbport.sys reported an error; the message string says what.', params: ['Pointer to the usbport.sys debug log.', 'Message string.', 'Source file name.'] },
      {
        value: 0x8,
        text: 'The USB hub driver failed; Parameter 2 says how (2 unexpected IRP, 4 fatal PDO trap, 6 fatal timeout).',
        params: [
          { text: 'Hub failure kind.', values: [[1, 'Reserved.'], [2, 'The hub driver received an IRP it does not expect.'], [3, 'Reserved.'], [4, 'Fatal PDO trap.'], [5, 'Reserved.'], [6, 'Fatal timeout (Parameter 3 is the timeout code).']] },
          {
            text: 'Kind 2: device object; kind 4: the PDO or a context; kind 6: timeout code.',
            values: [
              [0, 'Timeout code 0: non-fatal timeout.'],
              [1, 'Timeout code 1: resuming a suspended port failed.'],
              [2, 'Timeout code 2: a client-initiated reset did not finish before suspending the port.'],
              [3, 'Timeout code 3: the port did not finish resuming before being suspended.'],
              [4, 'Timeout code 4: the port-change state machine was not disabled before suspending the port.'],
              [5, 'Timeout code 5: a suspend-port request did not complete.'],
              [6, 'Timeout code 6: the port-change state machine was not disabled.'],
              [7, 'Timeout code 7: the port-change state machine was not closed.'],
              [8, 'Timeout code 8: the hub did not resume from selective suspend.'],
              [9, 'Timeout code 9: the hub did not resume from selective suspend before system suspend.'],
              [10, 'Timeout code 10: the port-change state machine did not become idle.'],
            ],
          },
          'Kind 2: the IRP; kind 4: a context or NULL; kind 6: port data.',
        ],
      },
    ],
  },
  {
    code: 0x35,
    name: 'NO_MORE_IRP_STACK_LOCATIONS',
    text: 'A driver passed an IRP down with IoCallDriver when no stack location was left for the next driver; it has already written past the end of the IRP.',
    params: ['Address of the IRP.', RESERVED, RESERVED, RESERVED],
  },
  {
    code: 0x44,
    name: 'MULTIPLE_IRP_COMPLETE_REQUESTS',
    text: 'IoCompleteRequest was called on an IRP that was already completed; usually two drivers each believe they own it.',
    params: ['Address of the IRP.', RESERVED, RESERVED, RESERVED],
  },
  {
    code: 0xca,
    name: 'PNP_DETECTED_FATAL_ERROR',
    text: 'The Plug and Play manager found a fatal error, almost always caused by a PnP driver (bad or duplicate PDOs, bad ids, broken notification callbacks).',
    params: ['Subtype: the kind of PnP violation.', 'Depends on the subtype.', 'Depends on the subtype.', 'Depends on the subtype.'],
    subtypes: [
      { value: 0x1, text: 'Duplicate PDO: one driver instance reported several PDOs with the same device and unique ids.', params: ['The newly reported PDO.', 'The older PDO it duplicates.', RESERVED] },
      { value: 0x2, text: 'Invalid PDO: a PDO-only API got random memory, an FDO, or a PDO not yet reported to PnP.', params: ['The supposed PDO.', 'The driver object.', RESERVED] },
      {
        value: 0x3,
        text: 'Invalid id: an enumerator returned an id with illegal characters or no terminator.',
        params: ['The PDO whose ids were queried.', 'The id buffer.', { text: 'Which id.', values: [[1, 'DeviceID.'], [2, 'UniqueID.'], [3, 'HardwareIDs.'], [4, 'CompatibleIDs.']] }],
      },
      { value: 0x4, text: 'An enumerator reported a PDO it had already deleted with IoDeleteDevice.', params: ['The PDO (DOE_DELETE_PENDING set).', RESERVED, RESERVED] },
      { value: 0x5, text: 'A PDO was freed while its devnode was still in the tree (a missing reference when returning it in a query IRP).', params: ['The PDO.', RESERVED, RESERVED] },
      { value: 0x8, text: 'A NULL PDO was returned as a bus relation.', params: ['PDO whose stack returned the bad relations.', 'Number of PDOs returned.', 'Zero-based index of the first NULL PDO.'] },
      { value: 0x9, text: 'IoDisconnectInterruptEx got a connection type that does not match IoConnectInterruptEx.', params: ['Connection type passed.', RESERVED, RESERVED] },
      { value: 0xa, text: 'A driver did not preserve the IRQL or the APC disable count across a PnP notification callback.', params: ['The driver object.', 'IRQL after the callback.', 'Combined APC disable count after the callback.'] },
      { value: 0xb, text: 'A removal relation of the device being removed was already deleted.', params: ['The related PDO.', 'The removal relations.', RESERVED] },
    ],
  },
  {
    code: 0xe3,
    name: 'RESOURCE_NOT_OWNED',
    text: 'A thread released an executive resource (ERESOURCE) it did not own.',
    params: ['Address of the resource.', 'Address of the thread.', 'Address of the owner table, if any.', RESERVED],
  },
  {
    code: 0x36,
    name: 'DEVICE_REFERENCE_COUNT_NOT_ZERO',
    text: 'A driver deleted one of its device objects while references to it were still outstanding.',
    params: ['Address of the device object.', RESERVED, RESERVED, RESERVED],
  },
];
