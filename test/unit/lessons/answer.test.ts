import { describe, expect, it } from 'vitest';
import { answerMatches, answerNumber } from '../../../src/lessons/answer.js';
import type { AnswerCheck } from '../../../src/lessons/types.js';

describe('answers', () => {
  it('read numbers as WinDbg users write them', () => {
    expect(answerNumber('2')).toBe(2n);
    expect(answerNumber(' 0x2 ')).toBe(2n);
    expect(answerNumber('0n10')).toBe(10n);
    expect(answerNumber('10')).toBe(10n);
    expect(answerNumber('1a')).toBe(0x1an);
    expect(answerNumber('fffff880`03165180')).toBe(0xfffff88003165180n);
    expect(answerNumber('"2".')).toBe(2n);
    expect(answerNumber('processor 2')).toBeUndefined();
    expect(answerNumber('0xz')).toBeUndefined();
  });

  it('match by value or by a case-insensitive pattern anywhere in the text', () => {
    const check: AnswerCheck = { kind: 'answer', leaf: 0, path: [], values: [2n], patterns: [/processor\s*#?\s*2\b/i] };
    expect(answerMatches(check, '2')).toBe(true);
    expect(answerMatches(check, '0x2')).toBe(true);
    expect(answerMatches(check, 'It is PROCESSOR #2, I think')).toBe(true);
    expect(answerMatches(check, '3')).toBe(false);
    expect(answerMatches(check, 'processor 23')).toBe(false);
    expect(answerMatches(check, '12')).toBe(false);
  });
});
