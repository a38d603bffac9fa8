import type { BugCheckEntry, Subtype } from './types.js';
import { RESERVED } from './types.js';

const S = (value: number, text: string, p2: string, p3: string, p4: string): Subtype => ({ value, text, params: [p2, p3, p4] });
const TAG = "Caller's identifying tag.";

/** System PTE and mapping-address bug checks. */
export const PTE_CODES: readonly BugCheckEntry[] = [
  {
    code: 0xd8,
    name: 'DRIVER_USED_EXCESSIVE_PTES',
    text: 'System PTEs ran out and PTE tracking names a driver: usually one that does not release its mappings. Parameter 1 is the biggest consumer; the stack shows who asked last.',
    params: [
      'Pointer to the name (Unicode string) of the driver using the most PTEs, or zero.',
      'PTEs used by that driver (when Parameter 1 is non-zero).',
      'Total free system PTEs.',
      'Total system PTEs.',
    ],
  },
  {
    code: 0xda,
    name: 'SYSTEM_PTE_MISUSE',
    text: 'A PTE or mapping-address routine was used wrongly (freeing what was not mapped, a wrong count, someone else\'s reservation). Parameter 1 names the misuse.',
    params: ['Subtype: the kind of misuse.', 'Depends on the subtype.', 'Depends on the subtype.', 'Depends on the subtype.'],
    subtypes: [
      S(0x1, 'The mapping being freed is a duplicate.', 'Internal lock-tracking structure.', 'The MDL.', 'The duplicate tracking structure.'),
      S(0x2, 'The number of mappings being freed is wrong.', 'Internal lock-tracking structure.', 'Mappings the system expects to free.', 'Mappings the driver asks to free.'),
      S(0x3, 'The mapping address being freed is wrong.', 'First tracking structure found.', 'Address the system expects to free.', 'Address the driver asks to free.'),
      S(0x4, 'The first page of the mapped MDL changed since it was mapped.', 'Internal lock-tracking structure.', 'Page frame number expected first in the MDL.', 'Page frame number now first in the MDL.'),
      S(0x5, 'The start virtual address of the MDL changed since it was mapped.', 'First tracking structure found.', 'Virtual address the system expects to free.', 'Virtual address the driver asks to free.'),
      S(0x6, 'The MDL being freed is not mapped (never was, or not now).', 'The MDL.', 'The virtual address given.', 'Number of mappings to free.'),
      S(0x100, 'Zero mappings were requested.', 'Number of mappings requested.', TAG, "Caller's caller."),
      S(0x101, 'A caller is freeing a mapping range it does not own.', 'First mapping address.', TAG, "Owner's tag."),
      S(0x102, 'The mapping range being freed is empty.', 'First mapping address.', TAG, RESERVED),
      S(0x103, 'The mapping range being freed is still reserved (MmUnmapReservedMapping must come first).', 'The invalid mapping.', TAG, 'Number of mappings in the range.'),
      S(0x104, 'An MDL is being mapped into a range the caller does not own.', 'First mapping address.', TAG, "Owner's tag."),
      S(0x105, 'An MDL is being mapped into an invalid range (probably a bad address).', 'First mapping address.', TAG, RESERVED),
      S(0x107, 'An MDL is being mapped into a range that is not properly reserved.', 'First mapping address.', 'The non-empty mapping.', 'Last mapping address.'),
      S(0x108, 'A caller is unmapping a locked range it does not own.', 'First mapping address.', TAG, "Owner's tag."),
      S(0x109, 'A caller is unmapping a locked range that is empty.', 'First mapping address.', TAG, RESERVED),
      S(0x10a, 'A caller is unmapping more mappings than the locked range holds.', 'First mapping address.', 'Mappings in the range.', 'Mappings to unmap.'),
      S(0x10b, 'A caller is unmapping part of a locked range that is not mapped.', 'First mapping address.', TAG, 'Mappings to unmap.'),
      S(0x10c, 'A caller is not unmapping the whole locked range.', 'First mapping address.', TAG, 'Mappings to unmap.'),
      S(0x200, 'A caller is reserving a range with no mappings.', 'First mapping address.', 'Zero.', 'Zero.'),
      S(0x201, 'One of the mappings being reserved is already reserved.', 'First mapping address to reserve.', 'The mapping already reserved.', 'Mappings to reserve.'),
      S(0x202, 'One of the mappings being reserved is already reserved.', 'First mapping address to reserve.', 'The mapping already reserved.', 'Mappings to reserve.'),
      S(0x300, 'A caller is releasing a range with no mappings.', 'First mapping address to release.', 'Zero.', 'Zero.'),
      S(0x301, 'A caller is releasing a mapping it may not release.', 'The mapping.', 'Zero.', 'Zero.'),
      S(0x302, 'A caller is releasing a system address that is not mapped.', 'Address being released.', RESERVED, RESERVED),
      S(0x303, 'A caller is releasing a range that was not reserved.', 'First mapping address.', 'Mappings to release.', 'Zero.'),
      S(0x304, 'A caller is releasing a range that starts inside another allocation.', 'First mapping address.', 'Mappings to release.', 'Zero.'),
    ],
  },
];
