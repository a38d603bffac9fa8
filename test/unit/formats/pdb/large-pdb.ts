/**
 * Large synthetic PDBs for the lookup benchmark (bench/pdb.ts), built with pdb-builder.ts and
 * written straight to a file: two shapes of ~100 MB with 2,000 modules and 200,000 publics.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import {
  SAMPLE_GUID, buildMsf, dbiStream, end, infoStream, moduleStream, proc32, publicsStream, pub32, records, sectionHeaders,
} from './pdb-builder.js';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** The shape of a synthetic PDB. */
export interface Shape {
  readonly label: string;
  readonly modules: number;
  readonly procsPerModule: number;
  /** Nested records (32 bytes each, like S_REGREL32/S_FRAMEPROC) inside each procedure. */
  readonly localsPerProc: number;
  /** C13 line bytes after each module's symbols (SymByteSize excludes them; never read). */
  readonly lineBytesPerModule: number;
  /** Size of the type stream (never read by lookups). */
  readonly typeBytes: number;
  /** Publics: one per `publicEvery` procedures in .text, the rest data publics in .data. */
  readonly publics: number;
  readonly publicEvery: number;
}

/** Every module byte a procedure record: 1M procedures, the most a cold lookup can have to read and scan. */
export const WORST_CASE: Shape = {
  label: 'synthetic worst case', modules: 2000, procsPerModule: 500, localsPerProc: 0, lineBytesPerModule: 0,
  typeBytes: 0, publics: 200_000, publicEvery: 5,
};

/**
 * The byte mix of the real PDBs in testdata (regtest64, amdppm, CrashWithException): module
 * symbols 6-20% of the file at 300-600 bytes per procedure (nested locals), C13 lines ~30%,
 * types 10-45%, and more publics than procedures (data, imports, strings). Here: module symbols
 * 24% at ~540 bytes per procedure, lines 30%, types 31%.
 */
export const TYPICAL: Shape = {
  label: 'synthetic typical', modules: 2000, procsPerModule: 25, localsPerProc: 14, lineBytesPerModule: 16 * 1024,
  typeBytes: 32 * 1024 * 1024, publics: 200_000, publicEvery: 1,
};

/** A record of kind `kind` and `size` bytes whose body the reader never looks at. */
function opaqueRecord(kind: number, size: number): Buffer {
  const r = Buffer.alloc(size, 0x5a);
  r.writeUInt16LE(size - 2, 0);
  r.writeUInt16LE(kind, 2);
  return r;
}

/**
 * Writes a synthetic PDB of `shape` to `file`: S_GPROC32 procedures (each closed by an S_END
 * that its End field points at, locals in between) laid out one after another in .text, one
 * contribution per module; publics on procedures, the remainder in .data. Returns a one-line
 * description of what was written.
 */
export function writeSyntheticPdb(file: string, shape: Shape): string {
  const firstModuleStream = 8;
  const modStreams: Buffer[] = [];
  const pubs: Buffer[] = [];
  const mods = [];
  const contributions = [];
  const local = opaqueRecord(0x1111, 32);
  let offset = 0;
  let procNo = 0;
  for (let m = 0; m < shape.modules; m++) {
    const list: Buffer[] = [];
    const start = offset;
    let pos = 4;
    for (let p = 0; p < shape.procsPerModule; p++, procNo++) {
      const name = `Mod${m}_Function${p}_WithAReasonablyLongName`;
      const proc = proc32(name, 1, offset, 0x30);
      pos += proc.length + shape.localsPerProc * local.length;
      proc.writeUInt32LE(pos, 8); // End: the S_END after the locals
      list.push(proc, ...Array.from({ length: shape.localsPerProc }, () => local), end());
      pos += 4;
      if (procNo % shape.publicEvery === 0 && pubs.length < shape.publics) pubs.push(pub32(`?${name}@@YAXXZ`, 1, offset));
      offset += 0x40;
    }
    const symbols = moduleStream(list);
    modStreams.push(Buffer.concat([symbols, Buffer.alloc(shape.lineBytesPerModule, 0xf4)]));
    mods.push({ name: `mod${m}.obj`, symStream: firstModuleStream + m, symByteSize: symbols.length });
    contributions.push({ section: 1, offset: start, size: offset - start, module: m });
  }
  const codePublics = pubs.length;
  for (let d = 0; pubs.length < shape.publics; d++) pubs.push(pub32(`?gData${d}@@3HA`, 2, d * 8, 0));
  const rec = records(pubs);
  const streams: (Buffer | null)[] = [
    Buffer.alloc(0),
    infoStream(SAMPLE_GUID, 1),
    shape.typeBytes > 0 ? Buffer.alloc(shape.typeBytes, 0x11) : null,
    dbiStream({ age: 1, publicStream: 6, symRecordStream: 5, modules: mods, contributions, debugStreams: { 5: 7 } }),
    null,
    rec.buf,
    publicsStream(rec.offsets),
    sectionHeaders([['.text', 0x1000, offset], ['.data', 0x1000 + offset + 0x1000, (shape.publics - codePublics) * 8 + 8]]),
    ...modStreams,
  ];
  const bytes = buildMsf(streams, 4096);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  const symBytes = mods.reduce((n, m) => n + m.symByteSize, 0);
  return `${shape.label}: ${mib(bytes.length)}, ${shape.modules} modules x ${shape.procsPerModule} procedures (${shape.localsPerProc} locals each), `
    + `${codePublics} code + ${shape.publics - codePublics} data publics; module symbols ${mib(symBytes)}, `
    + `line data ${mib(shape.modules * shape.lineBytesPerModule)}, types ${mib(shape.typeBytes)}`;
}
