import { describe, expect, it } from 'vitest';
import { decodeValue, describeBugCheck } from '../../../src/analysis/describe-bugcheck.js';
import { argumentText, descriptionLines, wrapText } from '../../../src/analysis/format-description.js';

describe('describeBugCheck', () => {
  it('explains 0x101 with the seed values', () => {
    const d = describeBugCheck(0x101n, [0x31n, 0n, 0xfffff88003165180n, 2n]);
    expect(d.coverage).toBe('full');
    expect(d.name).toBe('CLOCK_WATCHDOG_TIMEOUT');
    expect(d.params.map((p) => p.value)).toEqual([0x31n, 0n, 0xfffff88003165180n, 2n]);
    expect(d.params[2]!.meaning).toMatch(/PRCB/);
    expect(d.params[3]!.meaning).toMatch(/hung processor/);
  });

  it('decodes 0x1A subtype 0x41790 and takes Parameters 2-4 from it', () => {
    const d = describeBugCheck(0x1an, [0x41790n, 0xfffffa8000a2c0f0n, 0xffffn, 0n]);
    expect(d.subtype?.value).toBe(0x41790);
    expect(d.params[0]!.decoded).toMatch(/page table page is corrupt/);
    expect(d.params[1]!.meaning).toMatch(/PFN entry/);
    expect(argumentText(d.params[0]!)).toMatch(/^A page table page is corrupt/);
  });

  it('tells 0x133 subtypes 0 and 1 apart', () => {
    expect(describeBugCheck(0x133n, [0n, 0x501n, 0x500n, 0n]).params[1]!.meaning).toBe('DPC time count, in ticks.');
    expect(describeBugCheck(0x133n, [1n, 0x1e00n, 0n, 0n]).params[1]!.meaning).toBe('The watchdog period.');
  });

  it('decodes enumerated non-first parameters (0x50 access kind, 0x109 region)', () => {
    expect(describeBugCheck(0x50n, [0x90n, 1n, 0n, 0n]).params[1]!.decoded).toBe('Write.');
    expect(describeBugCheck(0x109n, [0n, 0n, 0n, 2n]).params[3]!.decoded).toMatch(/IDT/);
  });

  it('matches a sign-extended NTSTATUS against its 32-bit value', () => {
    const d = describeBugCheck(0x1en, [0xffffffffc0000005n, 0n, 0n, 0n]);
    expect(d.params[0]!.decoded).toMatch(/STATUS_ACCESS_VIOLATION/);
  });

  it('honours masks (0x27 looks at the high 16 bits only)', () => {
    const d = describeBugCheck(0x27n, [0xbaad0042n, 0n, 0n, 0n]);
    expect(d.params[0]!.decoded).toMatch(/NTEXCEPT/);
  });

  it('lists enumerations when no values are given', () => {
    const d = describeBugCheck(0x9fn);
    expect(d.params[0]!.value).toBeUndefined();
    expect(d.params[0]!.enumeration?.map(([v]) => v)).toEqual([1, 2, 3, 4, 0x500]);
  });

  it('reports name-only and unknown codes', () => {
    expect(describeBugCheck(0x1dn).coverage).toBe('name');
    expect(describeBugCheck(0x12345n).coverage).toBe('unknown');
    expect(descriptionLines(describeBugCheck(0x12345n, [1n]), 8)[0]).toBe('Unknown bugcheck code (12345)');
  });

  it('says when a subtype value is not in the table', () => {
    const d = describeBugCheck(0x1an, [0x7777777n, 0n, 0n, 0n]);
    expect(d.subtype).toBeUndefined();
    expect(argumentText(d.params[0]!)).toMatch(/not in crashkd's table/);
  });
});

describe('decodeValue and wrapping', () => {
  it('decodes flags', () => {
    expect(decodeValue({ text: 't', flags: [[1, 'write.'], [8, 'execute.']] }, 9n)).toBe('write. execute.');
  });

  it('wraps at the width and indents continuation lines of Arg lines', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    const lines = descriptionLines(describeBugCheck(0x1an, [0x41790n, 1n, 2n, 3n]), 8);
    expect(lines.every((l) => l.length <= 79)).toBe(true);
    expect(lines).toContain('    does not match its contents.');
  });

  it('prints 32-bit values with 8 digits', () => {
    const lines = descriptionLines(describeBugCheck(0xd1n, [0x10n, 2n, 0n, 0x8013cd0an]), 4);
    expect(lines).toContain('Arg2: 00000002, IRQL at the time of the reference.');
  });
});
