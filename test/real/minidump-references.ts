/**
 * Readers for the reference outputs stored beside the real minidumps: lldb's
 * `thread list` / `bt all` / `image list` / `register read` transcripts (*.lldb.txt) and
 * breakpad's minidump_dump output (minidump2.dump.out).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The shared test data folder, as tests reach it. */
export const TESTDATA = path.resolve(process.cwd(), '../shared/testdata');

/** Every `*.dmp` under `dir`, sorted. */
export function findDumps(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.dmp')) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** What lldb printed for one dump. */
export interface LldbReference {
  readonly pid?: number;
  readonly threads: { tid: number; pc: bigint; selected: boolean }[];
  readonly frames: bigint[][];
  /** guid/age are undefined for modules lldb shows without a UUID (no CodeView record). */
  readonly images: { index: number; guid?: string; age?: number; base: bigint; path: string }[];
  readonly registers: Map<string, bigint>;
}

/** Parses a `*.lldb.txt` transcript (first `target create` only). */
export function readLldb(file: string): LldbReference {
  const text = readFileSync(file, 'utf8').split('(lldb) target create')[1] ?? '';
  const lines = text.split('\n');
  const threads: LldbReference['threads'] = [];
  const frames: bigint[][] = [];
  const images: LldbReference['images'] = [];
  const registers = new Map<string, bigint>();
  let pid: number | undefined;
  let section = '';
  for (const line of lines) {
    const cmd = /^\(lldb\) (.*)$/.exec(line);
    if (cmd) {
      section = cmd[1]!;
      continue;
    }
    if (section === 'thread list') {
      const p = /^Process (\d+) stopped/.exec(line);
      if (p) pid = Number(p[1]);
      const t = /^([* ]) thread #\d+: tid = (0x[0-9a-f]+), (0x[0-9a-f]+)/.exec(line);
      if (t) threads.push({ tid: Number(t[2]), pc: BigInt(t[3]!), selected: t[1] === '*' });
    } else if (section === 'bt all') {
      if (/^[* ] thread #\d+/.test(line)) frames.push([]);
      const f = /frame #\d+: (0x[0-9a-f]+)/.exec(line);
      if (f) frames[frames.length - 1]!.push(BigInt(f[1]!));
    } else if (section === 'image list') {
      const m = /^\[\s*(\d+)\] (?:([0-9A-F-]+)-([0-9A-F]{8})|\s+) (0x[0-9a-f]+) (.*?) ?$/.exec(line);
      if (m) {
        images.push({
          index: Number(m[1]),
          ...(m[2] ? { guid: m[2].replace(/-/g, ''), age: parseInt(m[3]!, 16) } : {}),
          base: BigInt(m[4]!),
          path: m[5]!,
        });
      }
    } else if (section === 'register read') {
      const r = /^\s+(\w+) = (0x[0-9a-f]+)/.exec(line);
      if (r) registers.set(r[1]!, BigInt(r[2]!));
    }
  }
  return { ...(pid !== undefined ? { pid } : {}), threads, frames, images, registers };
}

/** One `Name\n  field = value` block of minidump_dump output. */
export interface DumpOutBlock {
  readonly kind: string;
  readonly fields: Map<string, string>;
}

/** Splits minidump_dump output into its structure blocks, in file order. */
export function readDumpOut(file: string): DumpOutBlock[] {
  const blocks: DumpOutBlock[] = [];
  let current: DumpOutBlock | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^[A-Za-z]\w*$/.test(line)) {
      current = { kind: line, fields: new Map() };
      blocks.push(current);
      continue;
    }
    const f = /^\s+(\S.*?)\s+= (.*)$/.exec(line);
    if (f && current) current.fields.set(f[1]!, f[2]!);
  }
  return blocks;
}

/** `0x12f31c` / `"text"` / `5` from a minidump_dump field. */
export function dumpOutValue(v: string | undefined): string {
  if (v === undefined) return '';
  const q = /^"(.*)"$/.exec(v);
  return q ? q[1]! : v.split(' ')[0]!;
}
