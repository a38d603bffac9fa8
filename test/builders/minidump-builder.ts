/**
 * Builds minidump files for tests from the layouts in shared/docs/formats.md section 4 (and
 * 3.1 / 3.3 for CONTEXT). It deliberately imports nothing from src/formats: the reader and
 * this builder are two independent readings of the same documentation, so each checks the
 * other. Corruption hooks (directory edits, raw streams, header overrides) make broken files.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

/** x86 registers by name (CONTEXT 3.3). */
export type X86Regs = Partial<Record<'eax' | 'ebx' | 'ecx' | 'edx' | 'esi' | 'edi' | 'ebp' | 'esp' | 'eip' | 'efl' | 'cs' | 'ds' | 'es' | 'fs' | 'gs' | 'ss', bigint>>;
/** x64 registers by name (CONTEXT 3.1). */
export type X64Regs = Partial<
  Record<
    | 'rax' | 'rcx' | 'rdx' | 'rbx' | 'rsp' | 'rbp' | 'rsi' | 'rdi' | 'r8' | 'r9' | 'r10' | 'r11' | 'r12' | 'r13' | 'r14' | 'r15'
    | 'rip' | 'efl' | 'cs' | 'ds' | 'es' | 'fs' | 'gs' | 'ss',
    bigint
  >
>;
/** A CONTEXT: registers, or raw bytes for corrupt cases. */
export type ContextSpec = { regs: X86Regs | X64Regs; flags?: number; cetU?: { msr: bigint; ssp: bigint } } | { raw: Uint8Array };

/** A thread: MINIDUMP_THREAD fields, stack bytes and CONTEXT. */
export interface ThreadSpec {
  id: number;
  suspendCount?: number;
  priorityClass?: number;
  priority?: number;
  teb?: bigint;
  stack?: { start: bigint; bytes: Uint8Array };
  context?: ContextSpec;
}
/** A module: MINIDUMP_MODULE fields, version and CodeView record. */
export interface ModuleSpec {
  base: bigint;
  size: number;
  path: string;
  checksum?: number;
  timestamp?: number;
  fileVersion?: [number, number, number, number];
  productVersion?: [number, number, number, number];
  /** RSDS: guid as 32 hex digits in symbol-server order (Data1 Data2 Data3 Data4); NB10: signature. */
  cv?: { type: 'RSDS'; guid: string; age: number; pdb: string } | { type: 'NB10'; signature: number; age: number; pdb: string };
}
/** MINIDUMP_SYSTEM_INFO fields (defaults: Windows 10 17134, 4 processors). */
export interface SystemInfoSpec {
  arch?: number;
  level?: number;
  revision?: number;
  processors?: number;
  productType?: number;
  major?: number;
  minor?: number;
  build?: number;
  csd?: string;
  suiteMask?: number;
  vendor?: string;
}
/** MINIDUMP_MISC_INFO fields; Flags1 is derived from what is given unless set. */
export interface MiscInfoSpec {
  size?: 24 | 44 | 232 | 832 | 1364;
  flags?: number;
  processId?: number;
  processCreateTime?: number;
  userTime?: number;
  kernelTime?: number;
  timeZone?: { id: number; bias: number; standardBias: number; daylightBias: number };
  buildString?: string;
  dbgBldStr?: string;
}
/** The Exception stream. */
export interface ExceptionSpec {
  threadId: number;
  code: number;
  flags?: number;
  record?: bigint;
  address: bigint;
  parameters?: bigint[];
  numberParameters?: number;
  context?: ContextSpec;
}
/** A directory entry as it will be written (editable for corruption tests). */
export interface DirEntry {
  type: number;
  size: number;
  rva: number;
}

/** Little-endian growable byte buffer. */
class Bytes {
  private buf = new Uint8Array(256);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u8(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(Math.floor(v / 0x10000) & 0xffff);
  }
  u64(v: bigint): this {
    const m = BigInt.asUintN(64, v);
    return this.u32(Number(m & 0xffffffffn)).u32(Number(m >> 32n));
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  zeros(n: number): this {
    this.ensure(n);
    this.length += n; // buffer is zero-filled
    return this;
  }
  align(n: number): this {
    while (this.length % n !== 0) this.u8(0);
    return this;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function utf16(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[i * 2] = s.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
}

function fixedUtf16(s: string, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  out.set(utf16(s).subarray(0, bytes - 2));
  return out;
}

/** x86 CONTEXT, 0x2CC bytes. */
export function x86Context(regs: X86Regs, flags = 0x1003f): Uint8Array {
  const b = new Uint8Array(0x2cc);
  const dv = new DataView(b.buffer);
  const put = (off: number, v: bigint | undefined): void => dv.setUint32(off, Number(BigInt.asUintN(32, v ?? 0n)), true);
  dv.setUint32(0, flags, true);
  put(0x8c, regs.gs); put(0x90, regs.fs); put(0x94, regs.es); put(0x98, regs.ds);
  put(0x9c, regs.edi); put(0xa0, regs.esi); put(0xa4, regs.ebx); put(0xa8, regs.edx);
  put(0xac, regs.ecx); put(0xb0, regs.eax); put(0xb4, regs.ebp); put(0xb8, regs.eip);
  put(0xbc, regs.cs); put(0xc0, regs.efl); put(0xc4, regs.esp); put(0xc8, regs.ss);
  return b;
}

/** x64 CONTEXT, 0x4D0 bytes, plus CONTEXT_EX and an XSAVE header with CET_U when asked. */
export function x64Context(regs: X64Regs, flags = 0x10001f, cetU?: { msr: bigint; ssp: bigint }): Uint8Array {
  const size = cetU ? 0x4d0 + 0x50 + 0x50 : 0x4d0;
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  const q = (off: number, v: bigint | undefined): void => dv.setBigUint64(off, BigInt.asUintN(64, v ?? 0n), true);
  const w = (off: number, v: bigint | undefined): void => dv.setUint16(off, Number((v ?? 0n) & 0xffffn), true);
  dv.setUint32(0x30, cetU ? flags | 0x40 : flags, true);
  w(0x38, regs.cs); w(0x3a, regs.ds); w(0x3c, regs.es); w(0x3e, regs.fs); w(0x40, regs.gs); w(0x42, regs.ss);
  dv.setUint32(0x44, Number((regs.efl ?? 0n) & 0xffffffffn), true);
  const order = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip'] as const;
  order.forEach((r, i) => q(0x78 + i * 8, regs[r]));
  if (cetU) {
    // CONTEXT_EX: All, Legacy, XState chunks (offsets relative to CONTEXT_EX at 0x4D0).
    dv.setInt32(0x4d0, -0x4d0, true); dv.setUint32(0x4d4, size, true);
    dv.setInt32(0x4d8, -0x4d0, true); dv.setUint32(0x4dc, 0x4d0, true);
    dv.setInt32(0x4e0, 0x50, true); dv.setUint32(0x4e4, 0x50, true);
    const x = 0x4d0 + 0x50;
    q(x, 1n << 11n); // Mask: CET_U
    q(x + 8, (1n << 63n) | (1n << 11n)); // compacted
    q(x + 64, cetU.msr);
    q(x + 72, cetU.ssp);
  }
  return b;
}

/** A minidump under construction. */
export class MinidumpBuilder {
  readonly threads: ThreadSpec[] = [];
  readonly modules: ModuleSpec[] = [];
  readonly unloaded: { base: bigint; size: number; path: string; checksum?: number; timestamp?: number }[] = [];
  readonly memory: { start: bigint; bytes: Uint8Array }[] = [];
  readonly memory64: { start: bigint; size: number; bytes?: Uint8Array }[] = [];
  readonly raw: { type: number; bytes: Uint8Array }[] = [];
  readonly names: { id: number; name: string }[] = [];
  sys: SystemInfoSpec | undefined;
  misc: MiscInfoSpec | undefined;
  exc: ExceptionSpec | undefined;
  handleCount: number | undefined;
  assert: { expression: string; function: string; file: string; line: number; type: number } | undefined;
  /** Write threads as ThreadExList (type 8, 64-byte entries) instead of ThreadList. */
  threadEx = false;
  /** Header overrides. */
  header: { signature?: number; version?: number; streams?: number; directoryRva?: number; timestamp?: number; flags?: bigint } = {};
  /** Edits the directory just before it is written (corruption tests). */
  editDirectory: ((entries: DirEntry[]) => void) | undefined;

  constructor(readonly arch: 'x86' | 'x64') {
    this.sys = { arch: arch === 'x64' ? 9 : 0 };
  }

  thread(t: ThreadSpec): this { this.threads.push(t); return this; }
  module(m: ModuleSpec): this { this.modules.push(m); return this; }
  unloadedModule(m: { base: bigint; size: number; path: string; checksum?: number; timestamp?: number }): this { this.unloaded.push(m); return this; }
  memoryBlock(start: bigint, bytes: Uint8Array): this { this.memory.push({ start, bytes }); return this; }
  memory64Block(start: bigint, bytesOrSize: Uint8Array | number): this {
    this.memory64.push(typeof bytesOrSize === 'number' ? { start, size: bytesOrSize } : { start, size: bytesOrSize.length, bytes: bytesOrSize });
    return this;
  }
  systemInfo(s: SystemInfoSpec | undefined): this { this.sys = s ? { arch: this.arch === 'x64' ? 9 : 0, ...s } : undefined; return this; }
  miscInfo(m: MiscInfoSpec): this { this.misc = m; return this; }
  exception(e: ExceptionSpec): this { this.exc = e; return this; }
  threadName(id: number, name: string): this { this.names.push({ id, name }); return this; }
  handles(count: number): this { this.handleCount = count; return this; }
  assertion(a: { expression: string; function: string; file: string; line: number; type: number }): this { this.assert = a; return this; }
  rawStream(type: number, bytes: Uint8Array): this { this.raw.push({ type, bytes }); return this; }

  /** The whole file in memory. */
  build(): Uint8Array {
    const l = this.layout();
    const out = new Uint8Array(l.totalSize);
    out.set(l.metadata, 0);
    for (const c of l.chunks) out.set(c.bytes, c.offset);
    return out;
  }

  /** Writes the file with Memory64List data left as holes (sparse), for huge synthetic dumps. */
  writeSparse(path: string): number {
    const l = this.layout();
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, l.metadata, 0, l.metadata.length, 0);
      for (const c of l.chunks) writeSync(fd, c.bytes, 0, c.bytes.length, c.offset);
      ftruncateSync(fd, l.totalSize);
    } finally {
      closeSync(fd);
    }
    return l.totalSize;
  }

  private contextBytes(c: ContextSpec): Uint8Array {
    if ('raw' in c) return c.raw;
    return this.arch === 'x64' ? x64Context(c.regs as X64Regs, c.flags, c.cetU) : x86Context(c.regs as X86Regs, c.flags);
  }

  private layout(): { metadata: Uint8Array; chunks: { offset: number; bytes: Uint8Array }[]; totalSize: number } {
    const f = new Bytes();
    const streams: { type: number; build: () => Uint8Array }[] = [];
    const blob = (b: Uint8Array, align = 4): number => {
      f.align(align);
      const at = f.length;
      f.bytes(b);
      return at;
    };
    const str = (s: string): number => blob(new Bytes().u32(s.length * 2).bytes(utf16(s)).u16(0).done());
    // Header and directory are patched in at the end; reserve their room now.
    const count = this.streamCount();
    f.zeros(32 + count * 12);

    const t = this.threads.map((th) => ({
      th,
      ctx: th.context ? this.contextBytes(th.context) : undefined,
    }));
    const threadBlobs = t.map(({ th, ctx }) => ({
      stackRva: th.stack ? blob(th.stack.bytes) : 0,
      ctxRva: ctx ? blob(ctx, 16) : 0,
      ctxSize: ctx?.length ?? 0,
    }));
    if (t.length > 0) {
      streams.push({
        type: this.threadEx ? 8 : 3,
        build: () => {
          const s = new Bytes().u32(t.length);
          t.forEach(({ th }, i) => {
            const b = threadBlobs[i]!;
            s.u32(th.id).u32(th.suspendCount ?? 0).u32(th.priorityClass ?? 0x20).u32(th.priority ?? 0).u64(th.teb ?? 0n);
            s.u64(th.stack?.start ?? 0n).u32(th.stack?.bytes.length ?? 0).u32(b.stackRva);
            s.u32(b.ctxSize).u32(b.ctxRva);
            if (this.threadEx) s.zeros(16);
          });
          return s.done();
        },
      });
    }
    if (this.modules.length > 0) {
      const mods = this.modules.map((m) => {
        const nameRva = str(m.path);
        let cvRva = 0;
        let cvSize = 0;
        if (m.cv) {
          const cv = new Bytes();
          if (m.cv.type === 'RSDS') {
            const g = m.cv.guid;
            const hex = (a: number, n: number): number => parseInt(g.slice(a, a + n), 16);
            cv.u32(0x53445352).u32(hex(0, 8)).u16(hex(8, 4)).u16(hex(12, 4));
            for (let i = 0; i < 8; i++) cv.u8(hex(16 + i * 2, 2));
            cv.u32(m.cv.age);
          } else cv.u32(0x3031424e).u32(0).u32(m.cv.signature).u32(m.cv.age);
          cv.bytes(new TextEncoder().encode(m.cv.pdb)).u8(0);
          const bytes = cv.done();
          cvRva = blob(bytes);
          cvSize = bytes.length;
        }
        return { m, nameRva, cvRva, cvSize };
      });
      streams.push({
        type: 4,
        build: () => {
          const s = new Bytes().u32(mods.length);
          for (const { m, nameRva, cvRva, cvSize } of mods) {
            s.u64(m.base).u32(m.size).u32(m.checksum ?? 0).u32(m.timestamp ?? 0).u32(nameRva);
            const fv = m.fileVersion;
            const pv = m.productVersion ?? fv;
            if (fv && pv) {
              s.u32(0xfeef04bd).u32(0x10000);
              s.u32(fv[0] * 0x10000 + fv[1]).u32(fv[2] * 0x10000 + fv[3]);
              s.u32(pv[0] * 0x10000 + pv[1]).u32(pv[2] * 0x10000 + pv[3]);
              s.zeros(52 - 24);
            } else s.zeros(52);
            s.u32(cvSize).u32(cvRva).u32(0).u32(0).u64(0n).u64(0n);
          }
          return s.done();
        },
      });
    }
    if (this.unloaded.length > 0) {
      const names = this.unloaded.map((u) => str(u.path));
      streams.push({
        type: 14,
        build: () => {
          const s = new Bytes().u32(12).u32(24).u32(this.unloaded.length);
          this.unloaded.forEach((u, i) => s.u64(u.base).u32(u.size).u32(u.checksum ?? 0).u32(u.timestamp ?? 0).u32(names[i]!));
          return s.done();
        },
      });
    }
    if (this.memory.length > 0) {
      const rvas = this.memory.map((m) => blob(m.bytes));
      streams.push({
        type: 5,
        build: () => {
          const s = new Bytes().u32(this.memory.length);
          this.memory.forEach((m, i) => s.u64(m.start).u32(m.bytes.length).u32(rvas[i]!));
          return s.done();
        },
      });
    }
    if (this.sys) {
      const sys = this.sys;
      const csdRva = str(sys.csd ?? '');
      streams.push({
        type: 7,
        build: () => {
          const s = new Bytes().u16(sys.arch ?? 9).u16(sys.level ?? 6).u16(sys.revision ?? 0).u8(sys.processors ?? 4).u8(sys.productType ?? 1);
          s.u32(sys.major ?? 10).u32(sys.minor ?? 0).u32(sys.build ?? 17134).u32(2).u32(csdRva).u16(sys.suiteMask ?? 0x100).u16(0);
          const vendor = new Uint8Array(24);
          vendor.set(new TextEncoder().encode(sys.vendor ?? '').subarray(0, 12));
          return s.bytes(vendor).done();
        },
      });
    }
    if (this.misc) {
      const m = this.misc;
      streams.push({
        type: 15,
        build: () => {
          const size = m.size ?? 1364;
          const b = new Uint8Array(size);
          const dv = new DataView(b.buffer);
          let flags = m.flags ?? 0;
          if (m.flags === undefined) {
            if (m.processId !== undefined) flags |= 1;
            if (m.processCreateTime !== undefined) flags |= 2;
            if (m.timeZone && size >= 232) flags |= 0x40;
            if (m.buildString !== undefined && size >= 832) flags |= 0x100;
          }
          dv.setUint32(0, size, true);
          dv.setUint32(4, flags, true);
          dv.setUint32(8, m.processId ?? 0, true);
          dv.setUint32(0xc, m.processCreateTime ?? 0, true);
          dv.setUint32(0x10, m.userTime ?? 0, true);
          dv.setUint32(0x14, m.kernelTime ?? 0, true);
          if (m.timeZone && size >= 232) {
            dv.setUint32(0x38, m.timeZone.id, true);
            dv.setInt32(0x3c, m.timeZone.bias, true);
            dv.setInt32(0x3c + 0x54, m.timeZone.standardBias, true);
            dv.setInt32(0x3c + 0xa8, m.timeZone.daylightBias, true);
          }
          if (size >= 832) {
            b.set(fixedUtf16(m.buildString ?? '', 520), 0xe8);
            b.set(fixedUtf16(m.dbgBldStr ?? '', 80), 0x2f0);
          }
          return b;
        },
      });
    }
    if (this.exc) {
      const e = this.exc;
      const ctx = e.context ? this.contextBytes(e.context) : undefined;
      const ctxRva = ctx ? blob(ctx, 16) : 0;
      streams.push({
        type: 6,
        build: () => {
          const params = e.parameters ?? [];
          const s = new Bytes().u32(e.threadId).u32(0).u32(e.code).u32(e.flags ?? 0).u64(e.record ?? 0n).u64(e.address);
          s.u32(e.numberParameters ?? params.length).u32(0);
          for (let i = 0; i < 15; i++) s.u64(params[i] ?? 0n);
          return s.u32(ctx?.length ?? 0).u32(ctxRva).done();
        },
      });
    }
    if (this.names.length > 0) {
      const rvas = this.names.map((n) => str(n.name));
      streams.push({
        type: 24,
        build: () => {
          const s = new Bytes().u32(this.names.length);
          this.names.forEach((n, i) => s.u32(n.id).u64(BigInt(rvas[i]!)));
          return s.done();
        },
      });
    }
    if (this.handleCount !== undefined) {
      const n = this.handleCount;
      streams.push({ type: 12, build: () => new Bytes().u32(16).u32(32).u32(n).u32(0).zeros(n * 32).done() });
    }
    if (this.assert) {
      const a = this.assert;
      streams.push({
        type: 0x47670002,
        build: () => new Bytes().bytes(fixedUtf16(a.expression, 256)).bytes(fixedUtf16(a.function, 256)).bytes(fixedUtf16(a.file, 256)).u32(a.line).u32(a.type).done(),
      });
    }
    for (const r of this.raw) streams.push({ type: r.type, build: () => r.bytes });

    // Memory64List goes last so its data can follow contiguously at the end of the file.
    const entries: DirEntry[] = [];
    for (const s of streams) {
      const body = s.build();
      entries.push({ type: s.type, size: body.length, rva: blob(body) });
    }
    const chunks: { offset: number; bytes: Uint8Array }[] = [];
    let totalSize: number;
    if (this.memory64.length > 0) {
      f.align(8);
      const listRva = f.length;
      const listSize = 16 + this.memory64.length * 16;
      const baseRva = listRva + listSize;
      const s = new Bytes().u64(BigInt(this.memory64.length)).u64(BigInt(baseRva));
      let at = baseRva;
      for (const m of this.memory64) {
        s.u64(m.start).u64(BigInt(m.size));
        if (m.bytes) chunks.push({ offset: at, bytes: m.bytes });
        at += m.size;
      }
      f.bytes(s.done());
      entries.push({ type: 9, size: listSize, rva: listRva });
      totalSize = at;
    } else totalSize = f.length;

    this.editDirectory?.(entries);
    const h = this.header;
    const head = new Bytes()
      .u32(h.signature ?? 0x504d444d)
      .u32(h.version ?? 0xa793)
      .u32(h.streams ?? entries.length)
      .u32(h.directoryRva ?? 32)
      .u32(0)
      .u32(h.timestamp ?? 0x5ba52a6e)
      .u64(h.flags ?? 0n);
    for (const e of entries.slice(0, count)) head.u32(e.type).u32(e.size).u32(e.rva);
    const metadata = f.done();
    metadata.set(head.done().subarray(0, 32 + count * 12), 0);
    return { metadata, chunks, totalSize: Math.max(totalSize, metadata.length) };
  }

  private streamCount(): number {
    let n = this.raw.length;
    if (this.threads.length > 0) n++;
    if (this.modules.length > 0) n++;
    if (this.unloaded.length > 0) n++;
    if (this.memory.length > 0) n++;
    if (this.memory64.length > 0) n++;
    if (this.sys) n++;
    if (this.misc) n++;
    if (this.exc) n++;
    if (this.names.length > 0) n++;
    if (this.handleCount !== undefined) n++;
    if (this.assert) n++;
    return n;
  }
}
