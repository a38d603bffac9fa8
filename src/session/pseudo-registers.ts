import type { DumpSession } from './dump-session.js';

/**
 * Pseudo-registers: the user variables `$t0`-`$t19` and friends that are stored, plus the
 * automatic ones computed from the session (`$ip`, `$csp`, `$ra`, `$prcb`...). Names include
 * the `$` and are case-insensitive.
 */
export class PseudoRegisters {
  private readonly stored = new Map<string, bigint>();

  constructor() {
    for (let i = 0; i < 20; i++) this.stored.set(`$t${i}`, 0n);
    this.stored.set('$exp', 0n);
    this.stored.set('$p', 0n);
  }

  /** True for names `r $name = value` may assign. */
  isWritable(name: string): boolean {
    const n = name.toLowerCase();
    return /^\$t(1[0-9]|[0-9])$/.test(n) || n === '$ip';
  }

  /** Stores a value in a user or bookkeeping pseudo-register (`$t0`, `$exp`, `$p`). */
  set(name: string, value: bigint): void {
    this.stored.set(name.toLowerCase(), BigInt.asUintN(64, value));
  }

  /** Value of a pseudo-register, or undefined when unknown or not available on this target. */
  get(name: string, s: DumpSession): bigint | undefined {
    const n = name.toLowerCase();
    const stored = this.stored.get(n);
    if (stored !== undefined) return stored;
    const t = s.target;
    const unit = s.currentUnit;
    const regs = s.registers();
    switch (n) {
      case '$ip':
      case '$scopeip':
      case '$eventip':
        return regs.ip;
      case '$csp':
        return regs.sp;
      case '$retreg':
      case '$retreg64':
        return regs.get(t.arch === 'x64' ? 'rax' : 'eax');
      case '$ra':
        return s.stack().frames[0]?.returnAddress;
      case '$ptrsize':
        return BigInt(t.pointerSize);
      case '$pagesize':
        return 0x1000n;
      case '$frame':
        return BigInt(s.frameIndex);
      case '$proc':
        return unit.process;
      case '$thread':
        return t.kind === 'kernel' ? unit.thread : unit.teb;
      case '$teb':
        return t.kind === 'user' ? unit.teb : undefined;
      case '$prcb':
        return unit.prcb;
      case '$pcr':
        return unit.pcr;
      case '$tid':
        return unit.threadId === undefined ? undefined : BigInt(unit.threadId);
      case '$tpid':
        return unit.processId === undefined ? undefined : BigInt(unit.processId);
      case '$bug_code':
        return t.bugCheck?.code;
      case '$bug_param1':
      case '$bug_param2':
      case '$bug_param3':
      case '$bug_param4':
        return t.bugCheck?.parameters[Number(n.slice(-1)) - 1];
      default:
        return undefined;
    }
  }
}
