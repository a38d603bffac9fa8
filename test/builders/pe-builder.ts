/**
 * Builds small PE32+/PE32 images for tests, written from the PE/COFF spec and the x64
 * exception-handling docs (formats.md 5, 6). It deliberately does not import src/formats:
 * the builder and the reader check each other.
 *
 * Fixed layout (RVAs): headers 0, .text 0x1000 (textSize), .pdata right after .text
 * (pdataSize), .rdata after .pdata (grows: unwind info, exports, debug data). Functions are
 * written to .pdata in the order they are added, so add them sorted by begin.
 */

/** One operation of an UNWIND_INFO, in array order (reverse prolog order). `at` = CodeOffset. */
export type UnwindOpSpec =
  | { readonly at: number; readonly op: 'PUSH_NONVOL'; readonly reg: number }
  | { readonly at: number; readonly op: 'ALLOC_SMALL'; readonly size: number }
  | { readonly at: number; readonly op: 'ALLOC_LARGE'; readonly size: number; readonly far?: boolean }
  | { readonly at: number; readonly op: 'SET_FPREG' }
  | { readonly at: number; readonly op: 'SAVE_NONVOL'; readonly reg: number; readonly offset: number; readonly far?: boolean }
  | { readonly at: number; readonly op: 'SAVE_XMM128'; readonly reg: number; readonly offset: number; readonly far?: boolean }
  | { readonly at: number; readonly op: 'PUSH_MACHFRAME'; readonly errorCode: boolean }
  | { readonly at: number; readonly op: 'EPILOG'; readonly opInfo: number }
  | { readonly raw: readonly [number, number] };

/** An UNWIND_INFO to encode. */
export interface UnwindInfoSpec {
  readonly version?: 1 | 2;
  /** Extra flag bits; CHAININFO / EHANDLER are added automatically from `chained` / `handler`. */
  readonly flags?: number;
  readonly prologSize: number;
  readonly frameRegister?: number;
  /** Raw 4-bit value (the offset is 16 times this). */
  readonly frameOffset?: number;
  readonly codes: readonly UnwindOpSpec[];
  /** Language handler RVA (sets UNW_FLAG_EHANDLER). */
  readonly handler?: number;
  /** Parent RUNTIME_FUNCTION (sets UNW_FLAG_CHAININFO). */
  readonly chained?: { readonly begin: number; readonly end: number; readonly unwindData: number };
}

/** One export: by name and/or ordinal, to code (`rva`) or forwarded (`forwarder` = "DLL.Func"). */
export interface ExportSpec {
  readonly name?: string;
  readonly rva?: number;
  readonly forwarder?: string;
}

/** The built image in both layouts. */
export interface BuiltPe {
  /** Bytes as mapped in memory (offset = RVA), SizeOfImage long. */
  readonly image: Uint8Array;
  /** Bytes as stored on disk (FileAlignment 0x200). */
  readonly file: Uint8Array;
  readonly imageBase: bigint;
  readonly sizeOfImage: number;
  /** File offset of an RVA inside a section (for patching the file layout). */
  fileOffset(rva: number): number;
}

/** Builder options. */
export interface PeBuilderOptions {
  readonly imageBase?: bigint;
  readonly machine?: number;
  readonly timeDateStamp?: number;
  readonly checksum?: number;
  readonly pe32?: boolean;
  readonly textSize?: number;
  readonly pdataSize?: number;
}

const OPS: Record<string, number> = {
  PUSH_NONVOL: 0, ALLOC_LARGE: 1, ALLOC_SMALL: 2, SET_FPREG: 3, SAVE_NONVOL: 4, SAVE_NONVOL_FAR: 5,
  EPILOG: 6, SAVE_XMM128: 8, SAVE_XMM128_FAR: 9, PUSH_MACHFRAME: 10,
};

const align = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Encodes unwind operations as 16-bit slots [CodeOffset, UnwindOp | OpInfo << 4, ...extra u16]. */
export function encodeUnwindCodes(codes: readonly UnwindOpSpec[]): number[][] {
  const slots: number[][] = [];
  const slot = (at: number, op: number, info: number): number[] => [at & 0xff, (op & 0xf) | ((info & 0xf) << 4)];
  const u16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
  for (const c of codes) {
    if ('raw' in c) {
      slots.push([...c.raw]);
      continue;
    }
    switch (c.op) {
      case 'PUSH_NONVOL':
        slots.push(slot(c.at, OPS.PUSH_NONVOL!, c.reg));
        break;
      case 'ALLOC_SMALL':
        slots.push(slot(c.at, OPS.ALLOC_SMALL!, c.size / 8 - 1));
        break;
      case 'ALLOC_LARGE':
        if (c.far) slots.push(slot(c.at, OPS.ALLOC_LARGE!, 1), u16(c.size & 0xffff), u16(c.size >>> 16));
        else slots.push(slot(c.at, OPS.ALLOC_LARGE!, 0), u16(c.size / 8));
        break;
      case 'SET_FPREG':
        slots.push(slot(c.at, OPS.SET_FPREG!, 0));
        break;
      case 'SAVE_NONVOL':
        if (c.far) slots.push(slot(c.at, OPS.SAVE_NONVOL_FAR!, c.reg), u16(c.offset & 0xffff), u16(c.offset >>> 16));
        else slots.push(slot(c.at, OPS.SAVE_NONVOL!, c.reg), u16(c.offset / 8));
        break;
      case 'SAVE_XMM128':
        if (c.far) slots.push(slot(c.at, OPS.SAVE_XMM128_FAR!, c.reg), u16(c.offset & 0xffff), u16(c.offset >>> 16));
        else slots.push(slot(c.at, OPS.SAVE_XMM128!, c.reg), u16(c.offset / 16));
        break;
      case 'PUSH_MACHFRAME':
        slots.push(slot(c.at, OPS.PUSH_MACHFRAME!, c.errorCode ? 1 : 0));
        break;
      case 'EPILOG':
        slots.push(slot(c.at, OPS.EPILOG!, c.opInfo));
        break;
    }
  }
  return slots;
}

/** Lays out a PE image piece by piece; see the file comment for the layout. */
export class PeBuilder {
  readonly textRva = 0x1000;
  readonly pdataRva: number;
  readonly rdataRva: number;
  private readonly text: Uint8Array;
  private readonly pdata: number[] = [];
  private readonly rdata: number[] = [];
  private exportDir: { rva: number; size: number } | undefined;
  private debugDir: { rva: number; size: number; recordRva: number } | undefined;
  private readonly opts: Required<PeBuilderOptions>;

  constructor(options: PeBuilderOptions = {}) {
    this.opts = {
      imageBase: options.imageBase ?? 0x140000000n,
      machine: options.machine ?? (options.pe32 ? 0x14c : 0x8664),
      timeDateStamp: options.timeDateStamp ?? 0x5a5a1234,
      checksum: options.checksum ?? 0,
      pe32: options.pe32 ?? false,
      textSize: align(options.textSize ?? 0x4000, 0x1000),
      pdataSize: align(options.pdataSize ?? 0x1000, 0x1000),
    };
    this.text = new Uint8Array(this.opts.textSize);
    this.pdataRva = this.textRva + this.opts.textSize;
    this.rdataRva = this.pdataRva + this.opts.pdataSize;
  }

  /** Places machine code at an RVA inside .text. */
  code(rva: number, bytes: readonly number[] | Uint8Array): this {
    this.text.set(bytes, rva - this.textRva);
    return this;
  }

  /** Appends raw bytes to .rdata (4-aligned) and returns their RVA. */
  data(bytes: readonly number[] | Uint8Array, alignment = 4): number {
    while (this.rdata.length % alignment !== 0) this.rdata.push(0);
    const rva = this.rdataRva + this.rdata.length;
    this.rdata.push(...bytes);
    return rva;
  }

  /** Encodes an UNWIND_INFO into .rdata and returns its RVA. */
  unwindInfo(spec: UnwindInfoSpec): number {
    const slots = encodeUnwindCodes(spec.codes);
    let flags = spec.flags ?? 0;
    if (spec.handler !== undefined) flags |= 0x1;
    if (spec.chained) flags |= 0x4;
    const b: number[] = [(spec.version ?? 1) | (flags << 3), spec.prologSize, slots.length, (spec.frameRegister ?? 0) | ((spec.frameOffset ?? 0) << 4)];
    for (const s of slots) b.push(...s);
    if (slots.length % 2 === 1) b.push(0, 0);
    if (spec.chained) b.push(...le32(spec.chained.begin), ...le32(spec.chained.end), ...le32(spec.chained.unwindData));
    else if (spec.handler !== undefined) b.push(...le32(spec.handler), 0, 0, 0, 0);
    return this.data(b);
  }

  /** Appends a RUNTIME_FUNCTION to .pdata; returns the entry's RVA (for indirect entries). */
  runtimeFunction(begin: number, end: number, unwindData: number): number {
    const rva = this.pdataRva + this.pdata.length;
    this.pdata.push(...le32(begin), ...le32(end), ...le32(unwindData));
    return rva;
  }

  /** Shorthand: encode `spec` and add a function entry for [begin, end). */
  func(begin: number, end: number, spec: UnwindInfoSpec): { entryRva: number; unwindRva: number } {
    const unwindRva = this.unwindInfo(spec);
    return { entryRva: this.runtimeFunction(begin, end, unwindRva), unwindRva };
  }

  /** Writes an export directory (names sorted as the spec requires). */
  exports(dllName: string, entries: readonly ExportSpec[], ordinalBase = 1): this {
    const n = entries.length;
    const named = entries.map((e, i) => ({ e, i })).filter((x) => x.e.name !== undefined);
    named.sort((a, b) => (a.e.name! < b.e.name! ? -1 : a.e.name! > b.e.name! ? 1 : 0));
    const dirRva = this.data(new Uint8Array(40));
    const funcsRva = this.data(new Uint8Array(4 * n));
    const namesRva = this.data(new Uint8Array(4 * named.length));
    const ordsRva = this.data(new Uint8Array(2 * named.length));
    const str = (s: string): number => this.data([...Buffer.from(s, 'ascii'), 0], 1);
    const dllNameRva = str(dllName);
    entries.forEach((e, i) => this.patch(funcsRva + 4 * i, le32(e.forwarder !== undefined ? str(e.forwarder) : (e.rva ?? 0))));
    named.forEach((x, j) => {
      this.patch(namesRva + 4 * j, le32(str(x.e.name!)));
      this.patch(ordsRva + 2 * j, [x.i & 0xff, x.i >> 8]);
    });
    const dir = [0, 0, 0, 0, ...le32(0), 0, 0, 0, 0, ...le32(dllNameRva), ...le32(ordinalBase), ...le32(n), ...le32(named.length), ...le32(funcsRva), ...le32(namesRva), ...le32(ordsRva)];
    this.patch(dirRva, dir);
    this.exportDir = { rva: dirRva, size: this.rdataRva + this.rdata.length - dirRva };
    return this;
  }

  /** Writes a debug directory with one CodeView RSDS record (guid as 16 raw bytes) or NB10 record. */
  codeView(record: { rsds: { guid: readonly number[]; age: number; path: string } } | { nb10: { signature: number; age: number; path: string } }): this {
    const body =
      'rsds' in record
        ? [...Buffer.from('RSDS'), ...record.rsds.guid, ...le32(record.rsds.age), ...Buffer.from(record.rsds.path, 'utf8'), 0]
        : [...Buffer.from('NB10'), ...le32(0), ...le32(record.nb10.signature), ...le32(record.nb10.age), ...Buffer.from(record.nb10.path, 'utf8'), 0];
    const dirRva = this.data(new Uint8Array(28));
    const recRva = this.data(body);
    // PointerToRawData is patched at build time once file offsets are known.
    this.patch(dirRva, [...le32(0), ...le32(this.opts.timeDateStamp), 0, 0, 0, 0, ...le32(2), ...le32(body.length), ...le32(recRva), ...le32(0)]);
    this.debugDir = { rva: dirRva, size: 28, recordRva: recRva };
    return this;
  }

  /** Overwrites already written .rdata bytes at an RVA. */
  patch(rva: number, bytes: readonly number[]): this {
    const off = rva - this.rdataRva;
    bytes.forEach((v, i) => (this.rdata[off + i] = v));
    return this;
  }

  /** Produces the memory and file layouts. */
  build(): BuiltPe {
    const o = this.opts;
    const rdataSize = align(Math.max(this.rdata.length, 1), 0x1000);
    const sizeOfImage = this.rdataRva + rdataSize;
    const sections = [
      { name: '.text', rva: this.textRva, bytes: this.text, chars: 0x60000020 },
      { name: '.pdata', rva: this.pdataRva, bytes: Uint8Array.from(this.pdata), chars: 0x40000040 },
      { name: '.rdata', rva: this.rdataRva, bytes: Uint8Array.from(this.rdata), chars: 0x40000040 },
    ];
    const fileOffsets: number[] = [];
    let fileEnd = 0x400;
    for (const s of sections) {
      fileOffsets.push(fileEnd);
      fileEnd += align(s.bytes.length, 0x200);
    }
    if (this.debugDir) {
      this.patch(this.debugDir.rva + 0x18, le32(fileOffsets[2]! + this.debugDir.recordRva - this.rdataRva));
      sections[2]!.bytes = Uint8Array.from(this.rdata);
    }
    const headers = new Uint8Array(0x400);
    const put = (off: number, bytes: readonly number[]): void => headers.set(bytes, off);
    const lfanew = 0x80;
    put(0, [0x4d, 0x5a]);
    put(0x3c, le32(lfanew));
    put(lfanew, [0x50, 0x45, 0, 0]);
    const optSize = o.pe32 ? 0xe0 : 0xf0;
    put(lfanew + 4, [...le16(o.machine), ...le16(sections.length), ...le32(o.timeDateStamp), ...le32(0), ...le32(0), ...le16(optSize), ...le16(0x22)]);
    const opt = lfanew + 0x18;
    put(opt, le16(o.pe32 ? 0x10b : 0x20b));
    put(opt + 0x10, le32(this.textRva));
    if (o.pe32) put(opt + 0x1c, le32(Number(o.imageBase)));
    else put(opt + 0x18, le64(o.imageBase));
    put(opt + 0x20, [...le32(0x1000), ...le32(0x200)]);
    put(opt + 0x38, [...le32(sizeOfImage), ...le32(0x400), ...le32(o.checksum), ...le16(1), ...le16(0x8160)]);
    const dirs = opt + (o.pe32 ? 0x60 : 0x70);
    put(dirs - 4, le32(16));
    const setDir = (i: number, rva: number, size: number): void => put(dirs + 8 * i, [...le32(rva), ...le32(size)]);
    if (this.exportDir) setDir(0, this.exportDir.rva, this.exportDir.size);
    if (this.pdata.length) setDir(3, this.pdataRva, this.pdata.length);
    if (this.debugDir) setDir(6, this.debugDir.rva, this.debugDir.size);
    sections.forEach((s, i) => {
      const sh = opt + optSize + 40 * i;
      put(sh, [...Buffer.from(s.name.padEnd(8, '\0'), 'latin1')]);
      put(sh + 8, [...le32(s.bytes.length), ...le32(s.rva), ...le32(align(s.bytes.length, 0x200)), ...le32(fileOffsets[i]!)]);
      put(sh + 0x24, le32(s.chars));
    });
    const image = new Uint8Array(sizeOfImage);
    const file = new Uint8Array(fileEnd);
    image.set(headers, 0);
    file.set(headers, 0);
    sections.forEach((s, i) => {
      image.set(s.bytes, s.rva);
      file.set(s.bytes, fileOffsets[i]!);
    });
    const fileOffset = (rva: number): number => {
      for (const [i, s] of sections.entries()) if (rva >= s.rva && rva < s.rva + align(s.bytes.length, 0x200)) return fileOffsets[i]! + rva - s.rva;
      return rva;
    };
    return { image, file, imageBase: o.imageBase, sizeOfImage, fileOffset };
  }
}

const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const le64 = (v: bigint): number[] => [...le32(Number(v & 0xffffffffn)), ...le32(Number((v >> 32n) & 0xffffffffn))];
