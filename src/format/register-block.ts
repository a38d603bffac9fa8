import { hex } from '../memory/address.js';
import type { RegisterContext } from '../target/registers.js';

const X64_ROWS = [
  ['rax', 'rbx', 'rcx'],
  ['rdx', 'rsi', 'rdi'],
  ['rip', 'rsp', 'rbp'],
  ['r8', 'r9', 'r10'],
  ['r11', 'r12', 'r13'],
  ['r14', 'r15'],
];

/**
 * The eight flag mnemonics of WinDbg's flags line. x64 targets print the parity column
 * inverted relative to Intel naming (PF=1 -> `po`), x86 targets print it Intel-correct; both
 * verified on public transcripts (docs/windbg-commands.md section 5).
 */
export function flagMnemonics(efl: bigint, arch: 'x64' | 'x86'): string {
  const bit = (n: bigint) => ((efl >> n) & 1n) === 1n;
  const pf = bit(2n);
  const parity = arch === 'x64' ? (pf ? 'po' : 'pe') : pf ? 'pe' : 'po';
  return [
    bit(11n) ? 'ov' : 'nv',
    bit(10n) ? 'dn' : 'up',
    bit(9n) ? 'ei' : 'di',
    bit(7n) ? 'ng' : 'pl',
    bit(6n) ? 'zr' : 'nz',
    bit(4n) ? 'ac' : 'na',
    parity,
    bit(0n) ? 'cy' : 'nc',
  ].join(' ');
}

function iopl(efl: bigint): string {
  return `iopl=${(efl >> 12n) & 3n}`.padEnd(15);
}

function segmentLine(regs: RegisterContext): string {
  const seg = (n: string) => `${n}=${hex(regs.get(n) ?? 0n, 4)}`;
  const segs = ['cs', 'ss', 'ds', 'es', 'fs', 'gs'].map(seg).join('  ');
  return `${segs}             efl=${hex(regs.get('efl') ?? 0n, 8)}`;
}

/**
 * The register lines of `r`, `.trap` and `.cxr`. `segments` adds the selector/efl line
 * (absent for trap frames, which do not hold all of them).
 */
export function formatRegisterBlock(regs: RegisterContext, segments: boolean): string[] {
  const efl = regs.get('efl') ?? 0n;
  if (regs.arch === 'x86') {
    const r = (n: string) => `${n}=${hex(regs.get(n) ?? 0n, 8)}`;
    const lines = [
      ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi'].map(r).join(' '),
      `${['eip', 'esp', 'ebp'].map(r).join(' ')} ${iopl(efl)}${flagMnemonics(efl, 'x86')}`,
    ];
    if (segments) lines.push(segmentLine(regs));
    return lines;
  }
  const lines = X64_ROWS.map((row) => row.map((n) => `${n.padStart(3)}=${hex(regs.get(n) ?? 0n, 16)}`).join(' '));
  lines.push(`${iopl(efl)}${flagMnemonics(efl, 'x64')}`);
  if (segments) lines.push(segmentLine(regs));
  return lines;
}
