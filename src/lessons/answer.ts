import type { AnswerCheck } from './types.js';

/**
 * The number an answer spells, if it is one: `0x2`, `0n10`, decimal `2`, hex with letters
 * (`1a`), WinDbg's backtick form (`fffff880`03165180`). Quotes and a final full stop are ignored.
 */
export function answerNumber(text: string): bigint | undefined {
  const t = text
    .trim()
    .replace(/[.!]$/, '')
    .replace(/^(["'])(.*)\1$/, '$2')
    .trim()
    .replace(/`/g, '');
  if (/^0x[0-9a-f]+$/i.test(t)) return BigInt(t.toLowerCase());
  if (/^0n[0-9]+$/i.test(t)) return BigInt(t.slice(2));
  if (/^[0-9]+$/.test(t)) return BigInt(t);
  if (/^[0-9a-f]+$/i.test(t) && /[a-f]/i.test(t)) return BigInt(`0x${t}`);
  return undefined;
}

/** True when `text` answers the check: as a number equal to a value, or matching a pattern. */
export function answerMatches(check: AnswerCheck, text: string): boolean {
  const n = answerNumber(text);
  if (n !== undefined && check.values.includes(n)) return true;
  // Patterns carry no g flag, so test() keeps no state between answers.
  return check.patterns.some((p) => p.test(text.trim()));
}
