import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileImageReader, type FileImageReader } from '../../../../src/formats/pe/file-image-reader.js';
import { PeImage } from '../../../../src/formats/pe/pe-image.js';
import { DataDirectoryIndex, imageCodeId } from '../../../../src/formats/pe/pe-headers.js';
import { UWOP, type UnwindCode, type UnwindInfo } from '../../../../src/formats/pe/unwind-info.js';
import { readReadobjReference, type RefRuntimeFunction } from './readobj-reference.js';

const testdata = path.resolve(process.cwd(), '../shared/testdata');
if (!existsSync(testdata)) console.warn(`skipping real-PE tests: ${testdata} is absent`);

const FILES = {
  regtest64: 'mozilla+dump_syms/test_data/windows/dump_syms_regtest64.exe',
  crashWithException: 'getsentry+symbolic/symbolic-testutils/fixtures/windows/CrashWithException.exe',
  amdppm: 'rizinorg+test-pdb-repository/amdppm.sys/c9c030003b000/amdppm.sys',
  wdf: 'rizinorg+test-pdb-repository/Wdf01000.sys/a9a9d36ed1000/Wdf01000.sys',
  testPdbX86: 'llvm-mirror+lldb/unittests/SymbolFile/PDB/Inputs/test-pdb.exe',
} as const;

const REG = ['RAX', 'RCX', 'RDX', 'RBX', 'RSP', 'RBP', 'RSI', 'RDI', 'R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15'];
const NAMES: Record<number, string> = {
  0: 'PUSH_NONVOL', 1: 'ALLOC_LARGE', 2: 'ALLOC_SMALL', 3: 'SET_FPREG', 4: 'SAVE_NONVOL', 5: 'SAVE_NONVOL_FAR',
  6: 'EPILOG', 8: 'SAVE_XMM128', 9: 'SAVE_XMM128_FAR', 10: 'PUSH_MACHFRAME',
};
const hx = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/** Our decoded code in llvm-readobj's words (Win64EHDumper::printUnwindCode). */
function formatCode(info: UnwindInfo, c: UnwindCode): string {
  const head = `0x${c.codeOffset.toString(16).toUpperCase().padStart(2, '0')}: ${NAMES[c.op]}`;
  switch (c.op) {
    case UWOP.PUSH_NONVOL:
      return `${head} reg=${REG[c.opInfo]}`;
    case UWOP.ALLOC_LARGE:
    case UWOP.ALLOC_SMALL:
      return `${head} size=${c.value}`;
    case UWOP.SET_FPREG:
      return `${head} reg=${REG[info.frameRegister]}, offset=${hx(c.value)}`;
    case UWOP.SAVE_NONVOL:
    case UWOP.SAVE_NONVOL_FAR:
      return `${head} reg=${REG[c.opInfo]}, offset=${hx(c.value)}`;
    case UWOP.SAVE_XMM128:
    case UWOP.SAVE_XMM128_FAR:
      return `${head} reg=XMM${c.opInfo}, offset=${hx(c.value)}`;
    case UWOP.PUSH_MACHFRAME:
      return `${head} errcode=${c.value ? 'yes' : 'no'}`;
    case UWOP.EPILOG: {
      const e = c.epilog!;
      if (e.kind === 'first') return `${head} atend=${e.atEnd ? 'yes' : 'no'}, length=${hx(e.size)}`;
      return e.kind === 'padding' ? `${head} padding` : `${head} offset=${hx(e.offset)}`;
    }
    default:
      return `${head} ?`;
  }
}

const readers: FileImageReader[] = [];
function open(rel: string): PeImage {
  const r = fileImageReader(path.join(testdata, rel));
  readers.push(r);
  return new PeImage(r, r.headers);
}
afterAll(() => readers.forEach((r) => r.close()));

/** Compares every RUNTIME_FUNCTION and every unwind code of `img` with the reference entries. */
function compareUnwind(img: PeImage, refs: readonly RefRuntimeFunction[]): number {
  const base = img.headers.imageBase;
  const table = img.runtimeFunctions;
  expect(table.count).toBe(refs.length);
  let codes = 0;
  refs.forEach((ref, i) => {
    const rf = table.at(i);
    expect([base + BigInt(rf.begin), base + BigInt(rf.end), base + BigInt(rf.unwindData)]).toEqual([ref.start, ref.end, ref.unwind]);
    const info = img.unwindInfo(rf.unwindData);
    expect({ v: info.version, f: info.flags, p: info.prologSize, n: info.countOfCodes }).toEqual({ v: ref.version, f: ref.flags, p: ref.prologSize, n: ref.unwindCodeCount });
    expect(info.frameRegister === 0 ? '-' : `${REG[info.frameRegister]} (0x${info.frameRegister.toString(16).toUpperCase()})`).toBe(ref.frameRegister);
    expect(info.frameRegister === 0 ? '-' : hx(info.frameOffset)).toBe(ref.frameOffset);
    expect(info.codes.map((c) => formatCode(info, c))).toEqual(ref.codes);
    expect(info.handlerRva === undefined ? undefined : base + BigInt(info.handlerRva)).toEqual(ref.handler);
    const chained = info.chained ? { start: base + BigInt(info.chained.begin), end: base + BigInt(info.chained.end), unwind: base + BigInt(info.chained.unwindData) } : undefined;
    expect(chained).toEqual(ref.chained);
    codes += info.codes.length;
  });
  return codes;
}

describe.skipIf(!existsSync(testdata))('PE parser against llvm-readobj references', () => {
  for (const [label, rel] of Object.entries(FILES)) {
    describe(label, () => {
      const ref = readReadobjReference(path.join(testdata, `${rel}.llvm-readobj.txt`));

      it('matches the file and optional headers', () => {
        const img = open(rel);
        const h = img.headers;
        expect(h.machine).toBe(ref.machine);
        expect(h.timeDateStamp).toBe(ref.timeDateStamp);
        expect(h.sections.length).toBe(ref.sectionCount);
        expect(h.magic).toBe(ref.magic);
        expect(h.is64).toBe(ref.magic === 0x20b);
        expect(h.imageBase).toBe(ref.imageBase);
        expect(h.sizeOfImage).toBe(ref.sizeOfImage);
        expect(h.checksum).toBe(ref.checkSum);
        expect(h.addressOfEntryPoint).toBe(ref.addressOfEntryPoint);
        expect(h.dataDirectories[DataDirectoryIndex.exception]).toEqual({ rva: ref.exceptionTableRva, size: ref.exceptionTableSize });
        expect(h.dataDirectories[DataDirectoryIndex.debug]!.rva).toBe(ref.debugRva);
      });

      it('reads the CodeView record', () => {
        const cv = open(rel).codeView();
        expect(cv?.signature).toBe('RSDS');
        expect(cv?.guid).toBe(ref.pdb!.guid);
        expect(cv?.age).toBe(ref.pdb!.age);
        expect(cv?.pdbPath).toBe(ref.pdb!.fileName);
        expect(cv?.symbolKey).toBe(ref.pdb!.guid.replace(/-/g, '') + ref.pdb!.age.toString(16).toUpperCase());
      });

      it('decodes every RUNTIME_FUNCTION and unwind code as llvm-readobj does', () => {
        const codes = compareUnwind(open(rel), ref.runtimeFunctions);
        const expected = ref.runtimeFunctions.reduce((n, r) => n + r.codes.length, 0);
        expect(codes).toBe(expected);
      });
    });
  }

  it('finds functions by binary search, for every entry of amdppm.sys', () => {
    const img = open(FILES.amdppm);
    const table = img.runtimeFunctions;
    for (let i = 0; i < table.count; i++) {
      const rf = table.at(i);
      expect(table.find(rf.begin)).toEqual(rf);
      expect(table.find(rf.end - 1)).toEqual(rf);
    }
    expect(table.find(0)).toBeUndefined();
    expect(table.find(img.headers.sizeOfImage + 5)).toBeUndefined();
  });

  it('gives the documented identifiers (formats.md 5.4)', () => {
    expect(imageCodeId(open(FILES.regtest64).headers)).toBe('589DFD111a000');
    expect(open(FILES.crashWithException).codeId).toBe('5C9E09599000');
    expect(open(FILES.testPdbX86).codeId).toBe('56D0BC865000');
    expect(open(FILES.regtest64).codeView()?.symbolKey).toBe('72E103A85CB249078B76B2E7C06257B13');
  });

  it('decodes v1 and v2 counts of amdppm.sys as formats.md 6.1 reports (463 v2 / 56 v1)', () => {
    const img = open(FILES.amdppm);
    let v1 = 0;
    let v2 = 0;
    for (const rf of img.runtimeFunctions.entries()) (img.unwindInfo(rf.unwindData).version === 2 ? v2++ : v1++);
    expect({ v1, v2 }).toEqual({ v1: 56, v2: 463 });
  });

  it('reads the section table of a PE32 (x86) image', () => {
    const img = open(FILES.testPdbX86);
    expect(img.headers.is64).toBe(false);
    expect(img.headers.imageBase).toBe(0x400000n);
    expect(img.headers.sections.map((s) => s.name)).toContain('.text');
    expect(img.runtimeFunctions.count).toBe(0);
  });
});
