import { formatPointer } from '../memory/address.js';

/** `%g` the way the MSVC runtime prints it: 6 significant digits, 3-digit exponent, `1.#QNAN`. */
export function msvcG(x: number): string {
  if (Number.isNaN(x)) return '-1.#QNAN';
  if (!Number.isFinite(x)) return x > 0 ? '1.#INF' : '-1.#INF';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [mant, e] = x.toExponential(5).split('e') as [string, string];
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(3, '0')}`;
  }
  const s = x.toPrecision(6);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mon Jan  7 15:31:46 1985` (CRT style) or with `.mmm` milliseconds (FILETIME style). */
export function formatDebuggerTime(ms: number, withMillis: boolean): string {
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mi = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  const frac = withMillis ? `.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : '';
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hh}:${mi}:${ss}${frac} ${d.getUTCFullYear()}`;
}

/** FILETIME epoch (1601-01-01) in JS milliseconds. */
const FILETIME_EPOCH_MS = -11644473600000;

/** Largest date JS (and so we) can print: year 275760. WinDbg rejects far less; treat beyond 30828 as invalid like SYSTEMTIME. */
const MAX_FILETIME = 0x7fffffffffffffffn;

/** The `.formats` block for a value on a target of the given pointer size. */
export function numberFormats(value: bigint, pointerSize: 4 | 8): string[] {
  const bits = pointerSize * 8;
  const v = BigInt.asUintN(bits, value);
  const bytes: number[] = [];
  for (let i = pointerSize - 1; i >= 0; i--) bytes.push(Number((v >> BigInt(i * 8)) & 0xffn));
  const chars = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  const binary = bytes.map((b) => b.toString(2).padStart(8, '0')).join(' ');
  const octal = v.toString(8).padStart(pointerSize === 8 ? 22 : 11, '0');
  const buf = new DataView(new ArrayBuffer(8));
  buf.setBigUint64(0, BigInt.asUintN(64, v), true);
  const low = buf.getFloat32(0, true);
  const high = buf.getFloat32(4, true);
  const dbl = buf.getFloat64(0, true);
  let time: string;
  if (pointerSize === 8) {
    // FILETIME: 100 ns ticks since 1601, shown in UTC (crashkd prints every time in UTC).
    time = v > MAX_FILETIME ? '***** Invalid FILETIME' : `${formatDebuggerTime(FILETIME_EPOCH_MS + Number(v / 10000n), true)} (UTC + 0:00)`;
  } else {
    time = v > 0x7fffffffn ? '***** Invalid' : formatDebuggerTime(Number(v) * 1000, false);
  }
  return [
    'Evaluate expression:',
    `  Hex:     ${formatPointer(v, pointerSize)}`,
    `  Decimal: ${BigInt.asIntN(bits, v)}`,
    `  Octal:   ${octal}`,
    `  Binary:  ${binary}`,
    `  Chars:   ${chars}`,
    `  Time:    ${time}`,
    `  Float:   low ${msvcG(low)} high ${msvcG(high)}`,
    `  Double:  ${msvcG(dbl)}`,
  ];
}
