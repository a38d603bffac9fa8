import { DebuggerError } from '../src/errors.js';
import { readCountedString, type CountedString } from '../src/kernel-objects/counted-string.js';
import { formatPointer } from '../src/memory/address.js';
import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { err, out, type Line } from '../src/repl/output.js';

/** Parsed `ds`/`dS [/c Width] [Address]`. */
interface DsArgs {
  /** `dS`: UNICODE_STRING; `ds`: STRING / ANSI_STRING. */
  readonly wide: boolean;
  readonly address?: bigint;
  /** Characters per line (`/c`); undefined: the whole string on one line. */
  readonly width?: number;
}

/** Result: the structure read (or undefined when its header is unreadable) and where it was. */
interface DsResult {
  readonly address: bigint;
  readonly value?: CountedString;
}

/** Upper bound for `/c`: a USHORT Length holds at most 0xffff bytes anyway. */
const MAX_WIDTH = 0x10000;

/** Characters as WinDbg shows them: NULs inside Length are counted but invisible; ANSI non-printables as `.`. */
function visible(text: string, wide: boolean): string {
  let s = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c === 0) continue;
    s += wide || (c >= 0x20 && c < 0x7f) ? ch : '.';
  }
  return s;
}

/** `<Buffer>  "text"` lines; with a width, one line per `width` characters, each with its own address. */
export function countedStringLines(v: CountedString, wide: boolean, width: number | undefined, pointerSize: 4 | 8): string[] {
  const text = v.text ?? '';
  const unit = wide ? 2 : 1;
  if (width === undefined || text.length <= width) return [`${formatPointer(v.buffer, pointerSize)}  "${visible(text, wide)}"`];
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) {
    const at = v.buffer + BigInt(i * unit);
    lines.push(`${formatPointer(at, pointerSize)}  "${visible(text.slice(i, i + width), wide)}"`);
  }
  return lines;
}

/**
 * `ds` / `dS`: display a counted string structure (not a NUL-terminated string): `ds` a STRING or
 * ANSI_STRING, `dS` a UNICODE_STRING. The `s`/`S` is case-sensitive in WinDbg, so the command
 * word as typed decides. Prints the Buffer address and the Length bytes in quotes.
 */
export const displayStringCommand = defineCommand({
  name: 'ds',
  summary: 'Display a STRING/ANSI_STRING (ds) or UNICODE_STRING (dS) structure',
  usage: 'd{s|S} [/c Width] [Address]',
  parse(inv, { session }): DsArgs {
    const wide = inv.word[1] === 'S';
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    let width: number | undefined;
    for (let o = c.option(); o !== undefined; o = c.option()) {
      if (o !== 'c') throw new DebuggerError('usage', `crashkd: ${inv.word} has no /${o} option`);
      const w = c.expression();
      if (w < 1n || w > BigInt(MAX_WIDTH)) throw new DebuggerError('range', `crashkd: /c width must be 1 to 0x${MAX_WIDTH.toString(16)}`);
      width = Number(w);
    }
    if (c.atEnd) return width !== undefined ? { wide, width } : { wide };
    const address = BigInt.asUintN(session.target.pointerSize * 8, c.expression());
    c.end();
    return { wide, address, ...(width !== undefined ? { width } : {}) };
  },
  run(a, { session }): DsResult {
    const address = a.address ?? session.nextDisplay?.address;
    if (address === undefined) throw new DebuggerError('usage', 'crashkd: no address given and no previous display to continue from');
    const t = session.target;
    const value = readCountedString(t.memory, address, a.wide, t.pointerSize);
    return value ? { address, value } : { address };
  },
  format(r, a, { session }): Line[] {
    const size = session.target.pointerSize;
    const kind = a.wide ? 'UNICODE_STRING' : 'STRING';
    if (!r.value) return [err(`crashkd: the ${kind} at ${formatPointer(r.address, size)} is not in this dump`)];
    if (r.value.text === undefined) {
      return [err(`crashkd: the ${kind} at ${formatPointer(r.address, size)} has Length 0x${r.value.length.toString(16)}, but its Buffer ${formatPointer(r.value.buffer, size)} is not in this dump`)];
    }
    return countedStringLines(r.value, a.wide, a.width, size).map(out);
  },
  json: (r, a) => ({
    kind: a.wide ? 'UNICODE_STRING' : 'STRING',
    address: r.address,
    ...(r.value ? { length: r.value.length, maximumLength: r.value.maximumLength, buffer: r.value.buffer, text: r.value.text ?? null } : {}),
  }),
});
