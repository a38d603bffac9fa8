import { describe, expect, it } from 'vitest';
import { dumpKindLine, formatDebugSessionTime, formatUptime, productLine, versionLine } from '../../../../src/target/kernel/system-info.js';

describe('kernel banner facts', () => {
  it('versionLine follows windbg-commands.md 3.1', () => {
    expect(versionLine({ build: 7601, processors: 12, majorVersion: 0xf, servicePack: 1 })).toBe('Windows 7 Kernel Version 7601 (Service Pack 1) MP (12 procs) Free x64');
    expect(versionLine({ build: 7601, processors: 1, majorVersion: 0xf, servicePack: 1 })).toBe('Windows 7 Kernel Version 7601 (Service Pack 1) UP Free x64');
    expect(versionLine({ build: 19041, processors: 1, majorVersion: 0xf, servicePack: 0 })).toBe('Windows 10 Kernel Version 19041 MP (1 procs) Free x64');
    expect(versionLine({ build: 9600, processors: 2, majorVersion: 0xc, servicePack: 0 })).toBe('Windows 8.1 Kernel Version 9600 MP (2 procs) Checked x64');
  });

  it('productLine lists suites', () => {
    expect(productLine(1, 0x110)).toBe('Product: WinNt, suite: TerminalServer SingleUserTS');
    expect(productLine(1, 0x310)).toBe('Product: WinNt, suite: TerminalServer SingleUserTS Personal');
    expect(productLine(3, 0x10)).toBe('Product: ServerNt, suite: TerminalServer');
    expect(productLine(undefined, 0x110)).toBeUndefined();
  });

  it('formats the session time with a space-padded day and the zone offset', () => {
    // 2013-04-08 20:17:47.016 UTC, local UTC+2 (the seed banner).
    const ft = BigInt(Date.UTC(2013, 3, 8, 20, 17, 47, 16)) * 10000n + 116444736000000000n;
    expect(formatDebugSessionTime(ft, -120)).toBe('Mon Apr  8 22:17:47.016 2013 (UTC + 2:00)');
    expect(formatDebugSessionTime(ft)).toBe('Mon Apr  8 20:17:47.016 2013 (UTC + 0:00)');
    expect(formatDebugSessionTime(ft, 330)).toBe('Mon Apr  8 14:47:47.016 2013 (UTC - 5:30)');
    expect(formatDebugSessionTime(0n)).toBeUndefined();
  });

  it('formats uptime', () => {
    expect(formatUptime(((1n * 3600n + 36n * 60n + 19n) * 1000n + 860n) * 10000n)).toBe('0 days 1:36:19.860');
    expect(formatUptime((2n * 86400n * 1000n + 5n) * 10000n)).toBe('2 days 0:00:00.005');
  });

  it('picks the dump-kind line', () => {
    expect(dumpKindLine(4)).toBe('Mini Kernel Dump File: Only registers and stack trace are available');
    expect(dumpKindLine(1)).toBe('Kernel Complete Dump File: Full address space is available');
    expect(dumpKindLine(5, 'FDMP')).toBe('Kernel Bitmap Dump File: Full address space is available');
    expect(dumpKindLine(5, 'SDMP')).toBe('Kernel Bitmap Dump File: Kernel address space is available, User address space may not be available.');
  });
});
