/**
 * Reads the `llvm-readobj --file-headers --coff-debug-directory --unwind` reference texts that
 * sit beside the real PE files, into plain records the tests compare against.
 */
import { readFileSync } from 'node:fs';

/** A RUNTIME_FUNCTION triple as printed (virtual addresses). */
export interface RefRange {
  start: bigint;
  end: bigint;
  unwind: bigint;
}

/** One `RuntimeFunction { ... }` block. */
export interface RefRuntimeFunction extends RefRange {
  version: number;
  flags: number;
  prologSize: number;
  frameRegister: string;
  frameOffset: string;
  unwindCodeCount: number;
  /** Each code line exactly as printed, e.g. `0x0A: SAVE_NONVOL reg=RBX, offset=0x30`. */
  codes: string[];
  handler?: bigint;
  chained?: RefRange;
}

/** Header facts and the unwind table of one file. */
export interface ReadobjReference {
  machine: number;
  timeDateStamp: number;
  sectionCount: number;
  magic: number;
  imageBase: bigint;
  sizeOfImage: number;
  checkSum: number;
  addressOfEntryPoint: number;
  exceptionTableRva: number;
  exceptionTableSize: number;
  debugRva: number;
  pdb?: { guid: string; age: number; fileName: string };
  runtimeFunctions: RefRuntimeFunction[];
}

const addr = (line: string): bigint => {
  const m = /\(0x([0-9A-F]+)\)\s*$/.exec(line);
  if (!m) throw new Error(`no address in: ${line}`);
  return BigInt(`0x${m[1]}`);
};

/** Parses one reference text. */
export function readReadobjReference(file: string): ReadobjReference {
  const lines = readFileSync(file, 'utf8').split('\n');
  const field = (name: string): string => {
    const line = lines.find((l) => l.trimStart().startsWith(`${name}:`));
    if (!line) throw new Error(`field ${name} missing in ${file}`);
    return line.slice(line.indexOf(':') + 1).trim();
  };
  const num = (name: string): number => {
    const v = field(name);
    const paren = /\((0x[0-9A-F]+)\)/.exec(v);
    return Number(paren ? paren[1] : v);
  };
  const ref: ReadobjReference = {
    machine: num('Machine'),
    timeDateStamp: num('TimeDateStamp'),
    sectionCount: num('SectionCount'),
    magic: num('Magic'),
    imageBase: BigInt(field('ImageBase')),
    sizeOfImage: num('SizeOfImage'),
    checkSum: num('CheckSum'),
    addressOfEntryPoint: num('AddressOfEntryPoint'),
    exceptionTableRva: num('ExceptionTableRVA'),
    exceptionTableSize: num('ExceptionTableSize'),
    debugRva: num('DebugRVA'),
    runtimeFunctions: [],
  };
  if (lines.some((l) => l.includes('PDBGUID:'))) {
    ref.pdb = { guid: field('PDBGUID').replace(/[{}]/g, ''), age: num('PDBAge'), fileName: field('PDBFileName') };
  }

  let cur: RefRuntimeFunction | undefined;
  let inCodes = false;
  let inChained = false;
  let chained: Partial<RefRange> = {};
  for (const raw of lines) {
    const line = raw.trim();
    if (line === 'RuntimeFunction {') {
      cur = { start: 0n, end: 0n, unwind: 0n, version: 0, flags: 0, prologSize: 0, frameRegister: '', frameOffset: '', unwindCodeCount: 0, codes: [] };
      ref.runtimeFunctions.push(cur);
      continue;
    }
    if (!cur) continue;
    if (line === 'Chained {') {
      inChained = true;
      chained = {};
      continue;
    }
    const target: Partial<RefRange> = inChained ? chained : cur;
    if (line.startsWith('StartAddress:')) target.start = addr(line);
    else if (line.startsWith('EndAddress:')) target.end = addr(line);
    else if (line.startsWith('UnwindInfoAddress:')) target.unwind = addr(line);
    else if (line.startsWith('Version:')) cur.version = Number(line.split(':')[1]);
    else if (line.startsWith('Flags [')) cur.flags = Number(/\((0x[0-9A-F]+)\)/.exec(line)![1]);
    else if (line.startsWith('PrologSize:')) cur.prologSize = Number(line.split(':')[1]);
    else if (line.startsWith('FrameRegister:')) cur.frameRegister = line.slice(15).trim();
    else if (line.startsWith('FrameOffset:')) cur.frameOffset = line.slice(13).trim();
    else if (line.startsWith('UnwindCodeCount:')) cur.unwindCodeCount = Number(line.split(':')[1]);
    else if (line === 'UnwindCodes [') inCodes = true;
    else if (inCodes && line === ']') inCodes = false;
    else if (inCodes) cur.codes.push(line);
    else if (line.startsWith('Handler:')) cur.handler = addr(line);
    else if (inChained && line === '}') {
      cur.chained = chained as RefRange;
      inChained = false;
    }
  }
  return ref;
}
