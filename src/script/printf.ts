/**
 * `.printf` formatting (-printf.md): C conversions on 64-bit MASM values (32-bit unless `I64`
 * or `ll`), plus dbgeng's `%p` (target pointer), `%N` (host pointer), `%y`/`%ly` (symbol),
 * `%ma %mu %msa %msu` (strings in target memory).
 */
import { DebuggerError } from '../errors.js';
import { formatPointer } from '../memory/address.js';
import type { DumpSession } from '../session/dump-session.js';
import { readCountedString, readCString } from './target-strings.js';

/** Replaces C escapes of a quoted `.printf`/`.echo` string (`\n`, `\t`, `\\`, `\"`). */
export function unescapeC(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };
    return simple[e] ?? e;
  });
}

interface Spec {
  flags: string;
  width: number | undefined;
  precision: number | undefined;
  wide64: boolean;
  long: boolean;
  conv: string;
}

const SPEC = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(I64|I32|ll|l|h|hh|w|L|I)?(ma|mu|msa|msu|[diouxXcsSpNyfeEgG%])?/y;

/** Pads `body` (with an optional sign/prefix kept in front of zero padding) to the width. */
function pad(body: string, spec: Spec, numeric: boolean, prefix = ''): string {
  const width = spec.width ?? 0;
  const len = prefix.length + body.length;
  if (len >= width) return prefix + body;
  if (spec.flags.includes('-')) return (prefix + body).padEnd(width);
  if (numeric && spec.flags.includes('0') && spec.precision === undefined) return prefix + body.padStart(width - prefix.length, '0');
  return (prefix + body).padStart(width);
}

function integer(v: bigint, spec: Spec): string {
  const bits = spec.wide64 ? 64 : 32;
  const signed = spec.conv === 'd' || spec.conv === 'i';
  let n = signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
  let sign = '';
  if (n < 0n) {
    sign = '-';
    n = -n;
  } else if (signed && spec.flags.includes('+')) sign = '+';
  else if (signed && spec.flags.includes(' ')) sign = ' ';
  const radix = spec.conv === 'o' ? 8 : spec.conv === 'x' || spec.conv === 'X' ? 16 : 10;
  let digits = n.toString(radix);
  if (spec.conv === 'X') digits = digits.toUpperCase();
  if (spec.precision !== undefined) digits = spec.precision === 0 && n === 0n ? '' : digits.padStart(spec.precision, '0');
  let prefix = sign;
  if (spec.flags.includes('#') && n !== 0n) prefix += radix === 16 ? (spec.conv === 'X' ? '0X' : '0x') : radix === 8 ? '0' : '';
  return pad(digits, spec, true, prefix);
}

/** Reinterprets the low 32 bits as a float, or all 64 as a double with `l` (-printf.md). */
function float(v: bigint, spec: Spec): string {
  const dv = new DataView(new ArrayBuffer(8));
  let x: number;
  if (spec.long || spec.wide64) {
    dv.setBigUint64(0, BigInt.asUintN(64, v), true);
    x = dv.getFloat64(0, true);
  } else {
    dv.setUint32(0, Number(v & 0xffffffffn), true);
    x = dv.getFloat32(0, true);
  }
  const p = spec.precision ?? 6;
  let s: string;
  if (!Number.isFinite(x)) s = Number.isNaN(x) ? 'nan' : x < 0 ? '-inf' : 'inf';
  else if (spec.conv === 'f') s = x.toFixed(p);
  else if (spec.conv === 'e' || spec.conv === 'E') s = x.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
  else s = String(Number(x.toPrecision(Math.max(1, p))));
  if (spec.conv === 'E' || spec.conv === 'G') s = s.toUpperCase();
  return pad(s, spec, true);
}

function text(s: string, spec: Spec): string {
  return pad(spec.precision === undefined ? s : s.slice(0, spec.precision), spec, false);
}

function symbol(v: bigint, session: DumpSession): string {
  const ptr = formatPointer(v, session.target.pointerSize);
  const sym = session.symbols.symbolize(v);
  return sym ? `${sym.text} (${ptr})` : ptr;
}

/** Formats `format` (escapes already replaced) with MASM values. */
export function formatPrintf(format: string, args: readonly bigint[], session: DumpSession): string {
  let out = '';
  let next = 0;
  const take = (): bigint => {
    if (next >= args.length) throw new DebuggerError('usage', 'Not enough arguments for the .printf format string');
    return args[next++]!;
  };
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    SPEC.lastIndex = pct;
    const m = SPEC.exec(format);
    if (!m || m[5] === undefined) {
      out += '%';
      i = pct + 1;
      continue;
    }
    i = SPEC.lastIndex;
    const spec: Spec = {
      flags: m[1] ?? '',
      width: undefined,
      precision: undefined,
      wide64: m[4] === 'I64' || m[4] === 'll',
      long: m[4] === 'l' || m[4] === 'w',
      conv: m[5],
    };
    if (m[2] !== undefined) spec.width = m[2] === '*' ? Number(BigInt.asIntN(32, take())) : Number(m[2]);
    if (m[3] !== undefined) spec.precision = m[3] === '*' ? Number(BigInt.asIntN(32, take())) : Number(m[3] || '0');
    if (spec.width !== undefined && spec.width < 0) {
      spec.flags += '-';
      spec.width = -spec.width;
    }
    spec.width = Math.min(spec.width ?? 0, 4096);
    out += convert(spec, take, session);
  }
  return out;
}

function convert(spec: Spec, take: () => bigint, session: DumpSession): string {
  switch (spec.conv) {
    case '%':
      return '%';
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      return integer(take(), spec);
    case 'c': {
      const v = take();
      return pad(String.fromCharCode(Number(v & (spec.long ? 0xffffn : 0xffn))), spec, false);
    }
    case 'p':
      return pad(formatPointer(take(), session.target.pointerSize), spec, false);
    case 'N':
      // A host pointer, as C's %p prints it on a 64-bit Windows host.
      return pad(BigInt.asUintN(64, take()).toString(16).toUpperCase().padStart(16, '0'), spec, false);
    case 'y':
      return pad(symbol(take(), session), spec, false);
    case 's':
    case 'S':
      return text(readCString(session, take(), spec.conv === 'S' || spec.long), spec);
    case 'ma':
    case 'mu':
      return text(readCString(session, take(), spec.conv === 'mu'), spec);
    case 'msa':
    case 'msu':
      return text(readCountedString(session, take(), spec.conv === 'msu'), spec);
    default:
      return float(take(), spec);
  }
}
