import { describe, expect, it } from 'vitest';
import { protectionText, threadStateName, waitReasonName } from '../../../src/kernel-objects/names.js';
import { decodeSoftwarePte, pteAddress, pteFlags, selfMapAddresses } from '../../../src/kernel-objects/pte-walk.js';

/**
 * Vectors are public `!pte` outputs (blog posts and source comments found through the search
 * tool): addresses for a classic self-map (PTE_BASE fffff680`00000000) and randomised ones,
 * entry values with the status letters kd printed for them.
 */
describe('self-map addresses', () => {
  it('match kd for the classic PTE_BASE', () => {
    expect(selfMapAddresses(0xfffff8035b2be43cn, 0xfffff68000000000n)).toEqual([
      0xfffff6fb7dbedf80n, 0xfffff6fb7dbf0068n, 0xfffff6fb7e00d6c8n, 0xfffff6fc01ad95f0n,
    ]);
    expect(selfMapAddresses(0n, 0xfffff68000000000n)).toEqual([0xfffff6fb7dbed000n, 0xfffff6fb7da00000n, 0xfffff6fb40000000n, 0xfffff68000000000n]);
  });

  it('match kd for randomised PTE_BASEs (Windows 10 1607+)', () => {
    expect(selfMapAddresses(0n, 0xffff818000000000n)).toEqual([0xffff81c0e0703000n, 0xffff81c0e0600000n, 0xffff81c0c0000000n, 0xffff818000000000n]);
    expect(selfMapAddresses(0xfffff803791153a0n, 0xffff808000000000n)).toEqual([
      0xffff80c060301f80n, 0xffff80c0603f0068n, 0xffff80c07e00de40n, 0xffff80fc01bc88a8n,
    ]);
    expect(selfMapAddresses(0x00007ffe47017344n, 0xffffce8000000000n)).toEqual([
      0xffffcee773b9d7f8n, 0xffffcee773afffc8n, 0xffffcee75fff91c0n, 0xffffcebfff2380b8n,
    ]);
    expect(pteAddress(0x000000affe950000n, 0xfffff68000000000n)).toBe(0xfffff68057ff4a80n);
  });
});

describe('status letters', () => {
  it('decode valid entries exactly as kd printed them', () => {
    expect(pteFlags(0x0000000000384063n, 0)).toBe('---DA--KWEV');
    expect(pteFlags(0x00000000020be121n, 3)).toBe('-G--A--KREV');
    expect(pteFlags(0x800000000f22c963n, 3)).toBe('-G-DA--KW-V');
    expect(pteFlags(0x000000013a0009e3n, 2)).toBe('-GLDA--KWEV');
    expect(pteFlags(0x8a00000101b3e867n, 0)).toBe('---DA--UW-V');
    expect(pteFlags(0x810000010010d025n, 3)).toBe('----A--UR-V');
    expect(pteFlags(0x0a0000000443f863n, 2)).toBe('---DA--KWEV');
  });

  it('show L only for PPE and PDE entries and C/N/T for their bits', () => {
    // Bit 7 in a PTE is the PAT bit, not a large page.
    expect(pteFlags(0x83n, 3)).toBe('-------KWEV');
    expect(pteFlags(0x83n, 1)).toBe('--L----KWEV');
    expect(pteFlags(0x219n, 3)).toBe('C----NTKREV');
  });
});

describe('software PTEs', () => {
  it('decode a transition entry (kd: Transition: 166b7, Protect: 4 - ReadWrite)', () => {
    expect(decodeSoftwarePte(0x00000000166b7880n, 19041)).toEqual({ kind: 'transition', pfn: 0x166b7n, protection: 4 });
    expect(protectionText(4)).toBe('4 - ReadWrite');
  });

  it('decode a Windows 10 page-file entry (kd: PageFile: 2, Offset: 1bbeda, Protect: 4)', () => {
    expect(decodeSoftwarePte(0x001bbeda00002084n, 19041)).toEqual({ kind: 'pagefile', pageFile: 2, offset: 0x1bbedan, protection: 4 });
  });

  it('take the Windows 7 page-file index from bits 1-4', () => {
    expect(decodeSoftwarePte(0x0000123400000082n, 7601)).toEqual({ kind: 'pagefile', pageFile: 1, offset: 0x1234n, protection: 4 });
  });

  it('decode demand-zero and prototype entries', () => {
    expect(decodeSoftwarePte(0x80n, 19041)).toEqual({ kind: 'demand-zero', protection: 4 });
    expect(decodeSoftwarePte(0xffffffff00000480n, 19041)).toEqual({ kind: 'prototype', protection: 4 });
    expect(protectionText(0x18 | 6)).toBe('1e - ExecuteReadWrite WriteCombine');
  });
});

describe('names', () => {
  it('name thread states and wait reasons from the public enumerations', () => {
    expect(threadStateName(2)).toBe('RUNNING');
    expect(threadStateName(5)).toBe('WAIT');
    expect(threadStateName(42)).toBe('STATE 42');
    expect(waitReasonName(0)).toBe('Executive');
    expect(waitReasonName(13)).toBe('WrUserRequest');
    expect(waitReasonName(15)).toBe('WrQueue');
    expect(waitReasonName(99)).toBe('WaitReason 99');
  });
});
