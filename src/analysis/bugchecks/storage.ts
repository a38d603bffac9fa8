import type { BugCheckEntry } from './types.js';
import { RESERVED } from './types.js';

/** Boot devices, disks, file systems and storage drivers. */
export const STORAGE_CODES: readonly BugCheckEntry[] = [
  {
    code: 0x7b,
    name: 'INACCESSIBLE_BOOT_DEVICE',
    text: 'Windows lost access to the system partition while starting: the boot disk driver failed, the file system did not recognize the volume, or the controller/BIOS mode changed.',
    params: [
      'Address of a UNICODE_STRING with the ARC name of the boot device (first USHORT even), or of the device object that could not be mounted (first USHORT is 3).',
      'Zero.',
      'Zero.',
      'Zero.',
    ],
  },
  {
    code: 0x24,
    name: 'NTFS_FILE_SYSTEM',
    text: 'ntfs.sys hit a fatal condition: often disk or file-system corruption, bad sectors, a failing storage driver, or (historically) exhausted nonpaged pool.',
    params: [
      'Where in NTFS: high 16 bits identify the source file, low 16 bits the line.',
      'Exception record address, when NtfsExceptionFilter is on the stack.',
      'Context record address, when NtfsExceptionFilter is on the stack (.cxr it, then kb).',
      RESERVED,
    ],
  },
  {
    code: 0x23,
    name: 'FAT_FILE_SYSTEM',
    text: 'The FAT file system driver hit a fatal condition: disk or file-system corruption, a failing storage driver, or exhausted nonpaged pool.',
    params: [
      'Where in FASTFAT: high 16 bits identify the source file, low 16 bits the line.',
      'Exception record address, when FatExceptionFilter is on the stack.',
      'Context record address, when FatExceptionFilter is on the stack (.cxr it, then kb).',
      RESERVED,
    ],
  },
  {
    code: 0xed,
    name: 'UNMOUNTABLE_BOOT_VOLUME',
    text: 'The I/O system could not mount the boot volume: usually a failing boot disk or a damaged file system or boot record.',
    params: ['Device object of the boot volume.', 'Status from the file system saying why the mount failed.', RESERVED, RESERVED],
  },
  {
    code: 0xf5,
    name: 'FLTMGR_FILE_SYSTEM',
    text: 'The filter manager hit an unrecoverable error, usually a minifilter breaking its rules (missing post-callback, context reference counting).',
    params: ['Subtype.', 'Depends on the subtype.', 'Depends on the subtype.', 'Depends on the subtype.'],
    subtypes: [
      { value: 0x66, text: 'A minifilter asked for a post-operation callback (SUCCESS_WITH_CALLBACK or SYNCHRONIZE) it never registered.', params: ['Callback data of the operation (!fltkd.cbd).', 'Zero.', 'Zero.'] },
      { value: 0x67, text: 'An internal object ran out of space and no more could be allocated (look for a nonpaged pool leak).', params: ['Callback data of the operation.', 'Zero.', 'NTSTATUS of the operation.'] },
      { value: 0x68, text: 'An FLT_FILE_NAME_INFORMATION was dereferenced once too often.', params: [RESERVED, 'The FLT_FILE_NAME_INFORMATION.', RESERVED] },
      { value: 0x6a, text: 'A file open or create could not be cancelled because handles already exist for the file.', params: ['File object.', 'Zero.', 'Zero.'] },
      { value: 0x6b, text: 'Invalid BACKPOCKET IRPCTRL state (internal).', params: ['Frame id.', 'Zero.', 'Thread.'] },
      { value: 0x6c, text: 'Too many nested page faults for a BACKPOCKETED IRPCTRL (internal).', params: ['Frame id.', 'BackPocket list.', 'Thread.'] },
      { value: 0x6d, text: 'A minifilter context was dereferenced once too often (FltReleaseContext called too many times).', params: ["The minifilter's context.", 'The CONTEXT_NODE.', 'Zero.'] },
      { value: 0x6e, text: 'A minifilter context was referenced after being freed.', params: ["The minifilter's context.", 'The CONTEXT_NODE.', 'Zero.'] },
    ],
  },
  {
    code: 0x34,
    name: 'CACHE_MANAGER',
    text: "The file-system cache manager hit a fatal condition; exhausted nonpaged pool is a known cause.",
    params: ['Where in the cache manager: high 16 bits identify the source file, low 16 bits the line.', RESERVED, RESERVED, RESERVED],
  },
  {
    code: 0x27,
    name: 'RDR_FILE_SYSTEM',
    text: 'The SMB redirector (RDBSS) hit a fatal condition; exhausted nonpaged pool is a known cause.',
    params: [
      {
        text: 'High 16 bits: the kind of problem.',
        mask: 0xffff0000,
        values: [
          [0xca550000, 'RDBSS_BUG_CHECK_CACHESUP (cache support).'],
          [0xc1ee0000, 'RDBSS_BUG_CHECK_CLEANUP.'],
          [0xc10e0000, 'RDBSS_BUG_CHECK_CLOSE.'],
          [0xbaad0000, 'RDBSS_BUG_CHECK_NTEXCEPT (an exception).'],
        ],
      },
      'Exception record address, when RxExceptionFilter is on the stack.',
      'Context record address, when RxExceptionFilter is on the stack (.cxr it, then kb).',
      RESERVED,
    ],
  },
];
