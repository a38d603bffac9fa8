/**
 * One x64 unwind step with unwind data: epilog emulation when rip is inside an epilog,
 * otherwise the prolog's unwind codes (formats.md 6.3), as Windows' RtlVirtualUnwind does.
 */
import type { VirtualMemory } from '../memory/virtual-memory.js';
import type { ImageReader } from '../formats/pe/image-reader.js';
import type { FunctionEntry } from './types.js';
import { establisherFrame, loadUnwindInfo, unwindPrologue, type MachineFrame } from './x64-prolog.js';
import { emulateEpilog, findV2Epilog, matchEpilog, unwindV2Epilog } from './x64-epilog.js';
import { add64, type X64State } from './x64-state.js';

/** Bytes of code read at rip for epilog matching. */
const EPILOG_WINDOW = 48;

/** Offsets of the KTRAP_FRAME fields a machine frame overlays (formats.md 3.2). */
export const KTRAP_FRAME_RIP = 0x168n;
/** KTRAP_FRAME.ErrorCode, pushed by the CPU (or the stub) just below Rip. */
export const KTRAP_FRAME_ERROR_CODE = 0x160n;

/**
 * Unwinds `state` (rip = `pc`) through the function `entry` into its caller. Mutates `state`;
 * returns the machine frame when one was popped. Throws MemoryReadError / FormatError.
 */
export function unwindWithEntry(
  state: X64State,
  pc: bigint,
  memory: VirtualMemory,
  entry: FunctionEntry,
  reader: ImageReader,
): MachineFrame | undefined {
  const rva = Number(pc - entry.moduleBase);
  const info = loadUnwindInfo(reader, entry.unwindInfo);
  const prologOffset = rva - entry.begin;
  // Computed before any register changes: SAVE_* offsets are relative to the frame on entry.
  const frameBase = establisherFrame(info, state, prologOffset);
  if (rva >= entry.begin && rva < entry.end) {
    if (info.version < 2) {
      const steps = matchEpilog(reader.read(rva, EPILOG_WINDOW), rva, entry, info);
      if (steps) {
        emulateEpilog(state, memory, steps);
        return undefined;
      }
    } else {
      const offset = findV2Epilog(info, entry, rva);
      if (offset !== undefined) return unwindV2Epilog(state, memory, reader, info, offset);
    }
  }
  return unwindPrologue(state, memory, reader, info, prologOffset, frameBase);
}

/**
 * The KTRAP_FRAME base for a popped machine frame: the frame's Rip slot sits at +0x168, so
 * base = slot - 0x168 (slot = `at`, or `at` + 8 when an error code was pushed at +0x160).
 */
export function trapFrameBase(machine: MachineFrame): bigint {
  return add64(machine.at, -(machine.errorCode ? KTRAP_FRAME_ERROR_CODE : KTRAP_FRAME_RIP));
}
