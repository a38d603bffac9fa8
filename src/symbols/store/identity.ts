import { closeSync, openSync, readSync } from 'node:fs';
import { DebuggerError } from '../../errors.js';
import { BreakpadSymFile } from '../../formats/breakpad/sym-file.js';
import { PdbFile } from '../../formats/pdb/pdb-file.js';
import type { CodeViewInfo } from '../../target/module-info.js';
import { pdbKey, type ImageIdentity } from './store-keys.js';

/** Whether a candidate file is the one asked for; `reason` says why not. */
export type IdentityCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: IdentityCheck = { ok: true };

function errorText(err: unknown): string {
  if (err instanceof DebuggerError) return err.message;
  if (err instanceof Error && 'code' in err) return `${String(err.code)}: ${err.message}`;
  throw err;
}

/**
 * Checks a PDB against a CodeView record: GUID (or NB10 signature) must be equal, and the age
 * must equal the DBI age (the one the linker stamps into the image) or, failing that, the info
 * stream age (formats.md 7.2: tools may bump the info-stream age alone; amdppm.pdb has DBI age 1,
 * info age 3, and is filed under age 1).
 */
export function checkPdbIdentity(path: string, cv: CodeViewInfo): IdentityCheck {
  let pdb: PdbFile | undefined;
  try {
    pdb = PdbFile.open(path);
    const want = cv.guid.toUpperCase();
    const have = want.length === 8 ? (pdb.info.signature >>> 0).toString(16).toUpperCase().padStart(8, '0') : pdb.info.guid;
    if (have !== want) return { ok: false, reason: `GUID mismatch: PDB has ${have}, image wants ${want}` };
    if (pdb.dbi.header.age !== cv.age && pdb.info.age !== cv.age) {
      return { ok: false, reason: `age mismatch: PDB has ${pdb.age.toString(16)}, image wants ${cv.age.toString(16)}` };
    }
    return OK;
  } catch (err) {
    return { ok: false, reason: errorText(err) };
  } finally {
    pdb?.close();
  }
}

/** Checks a Breakpad .sym: its MODULE id must be the PDB key (GUID + age). */
export function checkSymIdentity(path: string, cv: CodeViewInfo): IdentityCheck {
  let sym: BreakpadSymFile | undefined;
  try {
    sym = BreakpadSymFile.open(path);
    const want = pdbKey(cv);
    return sym.module.id === want ? OK : { ok: false, reason: `MODULE id ${sym.module.id} is not ${want}` };
  } catch (err) {
    return { ok: false, reason: errorText(err) };
  } finally {
    sym?.close();
  }
}

/** Reads TimeDateStamp and SizeOfImage from a PE file's headers (two small positioned reads). */
export function readImageIdentity(path: string): { timestamp: number; size: number } | undefined {
  const fd = openSync(path, 'r');
  try {
    const dos = Buffer.alloc(0x40);
    if (readSync(fd, dos, 0, 0x40, 0) < 0x40 || dos.readUInt16LE(0) !== 0x5a4d) return undefined;
    const lfanew = dos.readUInt32LE(0x3c);
    const nt = Buffer.alloc(24 + 60);
    if (lfanew > 0x10000000 || readSync(fd, nt, 0, nt.length, lfanew) < nt.length) return undefined;
    if (nt.readUInt32LE(0) !== 0x4550) return undefined;
    // FileHeader.TimeDateStamp at +8; OptionalHeader.SizeOfImage at +24+56 for PE32 and PE32+.
    return { timestamp: nt.readUInt32LE(8), size: nt.readUInt32LE(24 + 56) };
  } finally {
    closeSync(fd);
  }
}

/** Checks an image file's TimeDateStamp and SizeOfImage. */
export function checkImageIdentity(path: string, image: ImageIdentity): IdentityCheck {
  try {
    const id = readImageIdentity(path);
    if (!id) return { ok: false, reason: 'not a PE image' };
    if (id.timestamp !== image.timestamp >>> 0 || id.size !== image.size >>> 0) {
      return { ok: false, reason: `image is ${id.timestamp.toString(16)}/${id.size.toString(16)}, wanted ${image.timestamp.toString(16)}/${image.size.toString(16)}` };
    }
    return OK;
  } catch (err) {
    return { ok: false, reason: errorText(err) };
  }
}
