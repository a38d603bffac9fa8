import { FormatError } from '../../errors.js';
import { BufferSource, FileSource, type ByteSource } from '../pdb/byte-source.js';
import { upperBound } from '../pdb/sorted-symbols.js';
import { forEachLine, startsWithAscii } from './line-reader.js';
import {
  parseCfiDelta, parseCfiInit, parseFunc, parseModule, parsePublic, parseStackWin,
  type CfiRecord, type StackWinRecord, type SymFuncRecord, type SymModuleRecord, type SymPublicRecord,
} from './sym-records.js';

/** STACK WIN type of FRAME_DATA records, preferred over FPO (type 0) as Breakpad does. */
const FRAME_DATA = 4;

interface StackIndex {
  readonly win: Map<number, { rvas: Uint32Array; records: StackWinRecord[] }>;
  readonly cfiRvas: Uint32Array;
  readonly cfi: CfiRecord[];
}

/**
 * A Breakpad .sym file, parsed lazily in passes: the MODULE line at open, FUNC/PUBLIC on the first
 * symbol lookup, STACK WIN / STACK CFI on the first unwind query. Each pass streams the file in
 * 1 MiB chunks and keeps only its own records; line records and FILE lines are skipped.
 */
export class BreakpadSymFile {
  readonly module: SymModuleRecord;
  private symbolCache: { funcs: SymFuncRecord[]; publics: SymPublicRecord[]; codeId?: string } | undefined;
  private stackCache: StackIndex | undefined;

  constructor(readonly source: ByteSource, readonly path?: string) {
    const head = source.read(0, Math.min(source.size, 4096));
    const nl = head.indexOf(0x0a);
    const first = head.toString('utf8', 0, nl < 0 ? head.length : nl).replace(/\r$/, '');
    if (!first.startsWith('MODULE ')) throw new FormatError('breakpad', 'line 1: a .sym file must start with a MODULE record');
    this.module = parseModule(first, 1);
  }

  /** Opens `path` for positioned reads. */
  static open(path: string): BreakpadSymFile {
    const source = new FileSource(path, 'breakpad');
    try {
      return new BreakpadSymFile(source, path);
    } catch (err) {
      source.close();
      throw err;
    }
  }

  /** A .sym already in memory. */
  static fromText(text: string): BreakpadSymFile {
    return new BreakpadSymFile(new BufferSource(Buffer.from(text, 'utf8')));
  }

  /** FUNC records in file order. */
  functions(): readonly SymFuncRecord[] {
    return this.symbols().funcs;
  }

  /** PUBLIC records in file order. */
  publics(): readonly SymPublicRecord[] {
    return this.symbols().publics;
  }

  /** The `INFO CODE_ID` value (image timestamp + size), if the file has one. */
  codeId(): string | undefined {
    return this.symbols().codeId;
  }

  /** The STACK WIN record covering `rva`: FRAME_DATA (type 4) first, then FPO (type 0), then any other. */
  stackWinAt(rva: number): StackWinRecord | undefined {
    const win = this.stacks().win;
    const order = [FRAME_DATA, 0, ...[...win.keys()].filter((t) => t !== FRAME_DATA && t !== 0)];
    for (const type of order) {
      const table = win.get(type);
      if (!table) continue;
      const i = upperBound(table.rvas, rva) - 1;
      const rec = table.records[i];
      if (rec && rva < rec.rva + rec.codeSize) return rec;
    }
    return undefined;
  }

  /** The CFI rules in force at `rva` (INIT rules updated by every delta at or before it). */
  cfiAt(rva: number): { record: CfiRecord; rules: Readonly<Record<string, string>> } | undefined {
    const { cfi, cfiRvas } = this.stacks();
    const record = cfi[upperBound(cfiRvas, rva) - 1];
    if (!record || rva >= record.rva + record.size) return undefined;
    const rules = { ...record.initRules };
    for (const d of record.deltas) {
      if (d.rva > rva) break;
      Object.assign(rules, d.rules);
    }
    return { record, rules };
  }

  /** Every STACK CFI INIT range, sorted by rva. */
  cfiRecords(): readonly CfiRecord[] {
    return this.stacks().cfi;
  }

  /** Releases the file handle. */
  close(): void {
    this.source.close();
  }

  private symbols(): { funcs: SymFuncRecord[]; publics: SymPublicRecord[]; codeId?: string } {
    if (this.symbolCache) return this.symbolCache;
    const funcs: SymFuncRecord[] = [];
    const publics: SymPublicRecord[] = [];
    let codeId: string | undefined;
    forEachLine(
      this.source,
      (text, line) => {
        if (text.startsWith('FUNC ')) funcs.push(parseFunc(text, line));
        else if (text.startsWith('PUBLIC ')) publics.push(parsePublic(text, line));
        else codeId = text.split(' ')[2]?.toUpperCase();
      },
      (buf, s, e) => startsWithAscii(buf, s, e, 'FUNC ') || startsWithAscii(buf, s, e, 'PUBLIC ') || startsWithAscii(buf, s, e, 'INFO CODE_ID '),
    );
    this.symbolCache = codeId === undefined ? { funcs, publics } : { funcs, publics, codeId };
    return this.symbolCache;
  }

  private stacks(): StackIndex {
    if (this.stackCache) return this.stackCache;
    const winByType = new Map<number, StackWinRecord[]>();
    const cfi: { rva: number; size: number; initRules: Record<string, string>; deltas: { rva: number; rules: Record<string, string> }[] }[] = [];
    forEachLine(
      this.source,
      (text, line) => {
        if (text.startsWith('STACK WIN ')) {
          const rec = parseStackWin(text, line);
          const list = winByType.get(rec.type);
          if (list) list.push(rec);
          else winByType.set(rec.type, [rec]);
        } else if (text.startsWith('STACK CFI INIT ')) {
          const init = parseCfiInit(text, line);
          cfi.push({ rva: init.rva, size: init.size, initRules: init.rules, deltas: [] });
        } else if (text.startsWith('STACK CFI ')) {
          const delta = parseCfiDelta(text, line);
          const owner = cfi[cfi.length - 1];
          if (!owner) throw new FormatError('breakpad', `line ${line}: STACK CFI delta before any STACK CFI INIT`);
          owner.deltas.push(delta);
        }
      },
      (buf, s, e) => startsWithAscii(buf, s, e, 'STACK '),
    );
    const win = new Map<number, { rvas: Uint32Array; records: StackWinRecord[] }>();
    for (const [type, all] of winByType) {
      all.sort((a, b) => a.rva - b.rva);
      // dump_syms emits overlapping ranges (`STACK WIN 4 42ae 18` then `42af 14`); like Breakpad's
      // range map, keep the first range and drop ones starting inside it, so lookups are unambiguous.
      const list: StackWinRecord[] = [];
      for (const r of all) {
        const prev = list[list.length - 1];
        if (!prev || r.rva >= prev.rva + prev.codeSize) list.push(r);
      }
      win.set(type, { rvas: Uint32Array.from(list, (r) => r.rva), records: list });
    }
    for (const c of cfi) c.deltas.sort((a, b) => a.rva - b.rva);
    cfi.sort((a, b) => a.rva - b.rva);
    this.stackCache = { win, cfi, cfiRvas: Uint32Array.from(cfi, (c) => c.rva) };
    return this.stackCache;
  }
}
