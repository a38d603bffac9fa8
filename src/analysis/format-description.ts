import { hex } from '../memory/address.js';
import type { BugCheckDescription, ParamDescription } from './describe-bugcheck.js';

/** Width the classic analyzer hard-wraps its description text to. */
const WIDTH = 79;
/**
 * Continuation indent of a wrapped `ArgN:` line. Classic dbgeng used a TAB, modern uses four
 * spaces (windbg-commands.md 16.2); spaces render the same in every terminal and log.
 */
const CONTINUATION = '    ';

/** Greedy word wrap: `width` columns on the first line, `rest` on the others; long words stay whole. */
export function wrapText(text: string, width: number, rest = width): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const room = lines.length === 0 ? width : rest;
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

function stripDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** The description column of one `ArgN:` line. */
export function argumentText(p: ParamDescription): string {
  if (p.decoded === undefined) {
    if (p.index === 1 && p.value !== undefined && p.enumeration === undefined && /^Subtype/.test(p.meaning)) {
      return `${p.meaning} (this value is not in crashkd's table)`;
    }
    return p.meaning;
  }
  // Parameter 1 names the subtype outright, the way the analyzer words it.
  if (p.index === 1 && /^Subtype/.test(p.meaning)) return p.decoded;
  return `${stripDot(p.meaning)}: ${p.decoded}`;
}

/** `NAME (code)`: the title line, code in lowercase hex without 0x. */
export function titleLine(d: BugCheckDescription): string {
  const hex = d.code.toString(16);
  return d.name ? `${d.name} (${hex})` : `Unknown bugcheck code (${hex})`;
}

function argLines(p: ParamDescription, pointerSize: 4 | 8): string[] {
  const head = p.value === undefined ? `Arg${p.index}: ` : `Arg${p.index}: ${hex(p.value, pointerSize * 2)}, `;
  const text = argumentText(p);
  if (text === '') return p.value === undefined ? [] : [head.replace(/, $/, '')];
  const wrapped = wrapText(text, WIDTH - head.length, WIDTH - CONTINUATION.length);
  return [head + wrapped[0], ...wrapped.slice(1).map((l) => CONTINUATION + l)];
}

function enumerationLines(p: ParamDescription): string[] {
  if (!p.enumeration || p.enumeration.length === 0) return [];
  const width = Math.max(...p.enumeration.map(([v]) => `0x${v.toString(16)}`.length));
  const lines = ['', `Values of Arg${p.index}:`];
  for (const [v, meaning] of p.enumeration) {
    const key = `0x${v.toString(16)}`.padEnd(width);
    const wrapped = wrapText(meaning, WIDTH - width - 4);
    lines.push(`  ${key}  ${wrapped[0]}`, ...wrapped.slice(1).map((l) => ' '.repeat(width + 4) + l));
  }
  return lines;
}

/**
 * The analyzer's description block: title, wrapped description, `Arguments:` and one line per
 * parameter (`Arg1: <value>, <meaning>`). `listValues` adds every enumerated value (for
 * `!analyze -show CODE` without parameters).
 */
export function descriptionLines(d: BugCheckDescription, pointerSize: 4 | 8, listValues = false): string[] {
  const lines = [titleLine(d)];
  if (d.coverage === 'full' && d.text) lines.push(...wrapText(d.text, WIDTH));
  else if (d.coverage === 'name') lines.push("crashkd: Microsoft's reference lists this code; crashkd's table does not describe its parameters yet.");
  else lines.push("crashkd: this code is not in Microsoft's bug-check reference as crashkd knows it.");
  const args = d.params.flatMap((p) => argLines(p, pointerSize));
  if (args.length > 0) lines.push('Arguments:', ...args);
  if (listValues) for (const p of d.params) lines.push(...enumerationLines(p));
  return lines;
}
