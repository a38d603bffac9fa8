import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUGCHECKS, BUGCHECK_NAMES, bugCheckName, findBugCheck } from '../../../src/analysis/bugchecks/index.js';
import type { Param } from '../../../src/analysis/bugchecks/types.js';

const text = (p: Param): string => (typeof p === 'string' ? p : p.text);

describe('bug-check table', () => {
  it('describes at least 100 codes, each once', () => {
    expect(BUGCHECKS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(BUGCHECKS.map((e) => e.code)).size).toBe(BUGCHECKS.length);
  });

  it('gives every code a name, a description and four described parameters', () => {
    for (const e of BUGCHECKS) {
      const where = `0x${e.code.toString(16)}`;
      expect(e.name, where).toMatch(/^[A-Z0-9_]+$/);
      expect(e.text.length, where).toBeGreaterThan(20);
      expect(e.params, where).toHaveLength(4);
      // Every parameter says what it holds, or explicitly that it carries nothing.
      for (const p of e.params) expect(text(p).trim().length, `${where} ${text(p)}`).toBeGreaterThan(2);
    }
  });

  it('gives every subtype a meaning and, when present, exactly Parameters 2-4', () => {
    for (const e of BUGCHECKS) {
      const values = (e.subtypes ?? []).map((s) => s.value);
      expect(new Set(values).size, `0x${e.code.toString(16)}`).toBe(values.length);
      for (const s of e.subtypes ?? []) {
        expect(s.text.length).toBeGreaterThan(5);
        if (s.params) expect(s.params).toHaveLength(3);
      }
    }
  });

  it('agrees with the name list taken from the reference index', () => {
    expect(BUGCHECK_NAMES.size).toBeGreaterThan(350);
    for (const e of BUGCHECKS) expect(BUGCHECK_NAMES.get(e.code), `0x${e.code.toString(16)}`).toBe(e.name);
  });

  it('covers the codes the lessons and the common-code table rely on', () => {
    const required = [0xa, 0x19, 0x1a, 0x1e, 0x24, 0x3b, 0x3d, 0x4e, 0x50, 0x7a, 0x7b, 0x7e, 0x7f, 0x8e, 0x9c, 0x9f, 0xbe, 0xc2, 0xc4, 0xc5, 0xd1, 0xd5, 0xe2, 0xef, 0xf4, 0xfc, 0xfe, 0x101, 0x109, 0x116, 0x117, 0x124, 0x133, 0x139, 0x13a, 0x154, 0x1000007e, 0x1000008e, 0xc000021a];
    for (const c of required) expect(findBugCheck(c), `0x${c.toString(16)}`).toBeDefined();
  });

  it('decodes subtypes of the enumerated codes', () => {
    expect(findBugCheck(0x1a)?.subtypes?.some((s) => s.value === 0x41790)).toBe(true);
    expect(findBugCheck(0x9f)?.subtypes?.map((s) => s.value)).toEqual([0x1, 0x2, 0x3, 0x4, 0x500]);
    expect(findBugCheck(0x133)?.subtypes?.map((s) => s.value)).toEqual([0, 1]);
    expect(findBugCheck(0x124)?.subtypes).toHaveLength(12);
  });

  it('looks up sign-extended codes and name-only codes', () => {
    expect(findBugCheck(0xffffffffc000021an)?.name).toBe('STATUS_SYSTEM_PROCESS_TERMINATED');
    expect(bugCheckName(0x1d)).toBe('NO_SPIN_LOCK_AVAILABLE');
    expect(findBugCheck(0x1d)).toBeUndefined();
    expect(bugCheckName(0x12345)).toBeUndefined();
  });

  it('makes the _M variants carry the base parameters', () => {
    const m = findBugCheck(0x1000007e)!;
    expect(m.name).toBe('SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M');
    expect(m.params).toEqual(findBugCheck(0x7e)!.params);
  });

  it('keeps every table file under 400 lines', () => {
    const dir = 'src/analysis/bugchecks';
    for (const f of readdirSync(dir)) {
      expect(readFileSync(join(dir, f), 'utf8').split('\n').length, f).toBeLessThan(400);
    }
  });
});
