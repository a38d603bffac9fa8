import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { analyzeCommand } from '../../../commands/analyze.js';
import { bugcheckString, hungProcessor } from '../../../src/analysis/kernel-analysis.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { Registry } from '../../../src/repl/registry.js';
import { createSession } from '../../../src/session/create-session.js';
import { DumpSession } from '../../../src/session/dump-session.js';
import { openTarget } from '../../../src/session/open-target.js';
import type { Target } from '../../../src/target/target.js';
import { fixedWalker, kernelTarget, userTarget } from './fake-targets.js';

const commands = COMMANDS.some((c) => c.name === analyzeCommand.name) ? COMMANDS : [...COMMANDS, analyzeCommand];

async function run(session: DumpSession, line: string): Promise<string[]> {
  const d = new Dispatcher(new Registry(commands), session);
  return (await d.execute(line, { column: session.prompt().length })).map((l) => l.text);
}

const fake = (t: Target): DumpSession => new DumpSession(t, fixedWalker);
const seed = async (): Promise<DumpSession> => createSession(await openTarget('fixtures/clock-watchdog-0x101.yaml'));

describe('!analyze -show', () => {
  it('explains 0x101 without values', async () => {
    const lines = await run(await seed(), '!analyze -show 0x101');
    expect(lines[0]).toBe('CLOCK_WATCHDOG_TIMEOUT (101)');
    expect(lines).toContain('Arg3: PRCB address of the processor that stopped responding.');
    expect(lines).not.toContain('Values of Arg1:');
  });

  it('decodes 0x1A subtype 0x41790 with its own parameter meanings', async () => {
    const lines = await run(await seed(), '!analyze -show 1a 41790 fffffa8000a2c0f0 ffff 0');
    expect(lines[0]).toBe('MEMORY_MANAGEMENT (1a)');
    expect(lines).toContain('Arg1: 0000000000041790, A page table page is corrupt: its count of used entries');
    expect(lines.some((l) => l.startsWith('Arg2: fffffa8000a2c0f0, x64: address of the PFN entry'))).toBe(true);
  });

  it('lists every subtype of a code given alone', async () => {
    const lines = await run(await seed(), '!analyze -show 9f');
    expect(lines).toContain('Values of Arg1:');
    expect(lines.some((l) => /^ {2}0x3 {4}A device stack held a power IRP/.test(l))).toBe(true);
  });

  it('follows the radix and accepts expressions', async () => {
    const lines = await run(await seed(), '!analyze -show 0n257 0x31');
    expect(lines[0]).toBe('CLOCK_WATCHDOG_TIMEOUT (101)');
    expect(lines).toContain('Arg1: 0000000000000031, Timeout interval, in nominal clock ticks.');
  });

  it('rejects a missing code, unknown options and a fifth parameter', async () => {
    const s = await seed();
    expect(await run(s, '!analyze -show')).toEqual(["                    ^ Syntax error in '!analyze -show'"]);
    expect(await run(s, '!analyze -x')).toEqual(["                ^ Syntax error in '!analyze -x'"]);
    expect((await run(s, '!analyze -show 9f 3 1 2 3 4'))[0]).toMatch(/\^ Extra character error/);
  });
});

describe('!analyze on kernel targets', () => {
  it('blames the first frame outside nt and hal, with its symbol state', async () => {
    const s = fake(kernelTarget(0xd1n, [0x10n, 2n, 0n, 0xfffff88004001ce7n]));
    const lines = await run(s, '!analyze');
    expect(lines).toContain('BugCheck D1, {10, 2, 0, fffff88004001ce7}');
    expect(lines).toContain('Probably caused by : man.sys ( man+1ce7 )');
    expect(lines.at(-1)).toBe('crashkd: the blamed module is a heuristic: first frame outside nt and hal (frame 02: man.sys, no symbols: offsets are from the module base)');
  });

  it('fills the verbose keys from the blamed module', async () => {
    const lines = await run(fake(kernelTarget(0xd1n, [0x10n, 2n, 0n, 0xfffff88004001ce7n])), '!analyze -v');
    expect(lines).toContain('DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)');
    expect(lines).toContain('Arg3: 0000000000000000, Kind of access: Read.');
    for (const l of ['BUGCHECK_STR:  0xD1', 'CURRENT_IRQL:  2', 'SYMBOL_NAME:  man+1ce7', 'MODULE_NAME: man', 'IMAGE_NAME:  man.sys', 'DEBUG_FLR_IMAGE_TIMESTAMP:  4a5bc123', 'FAILURE_BUCKET_ID:  X64_0xD1_man+1ce7', 'BUCKET_ID:  X64_0xD1_man+1ce7']) {
      expect(lines).toContain(l);
    }
    const stack = lines.indexOf('STACK_TEXT:  ');
    expect(lines[stack + 1]).toMatch(/^fffff880`06e53328 fffff800`03ad4cee : .* : nt!KeBugCheckEx$/);
    expect(lines[stack + 3]).toMatch(/ : man\+0x1ce7$/);
    expect(lines.slice(stack + 5, stack + 7)).toEqual(['', '']);
  });

  it('accepts -f and -hang and says they change nothing', async () => {
    const lines = await run(fake(kernelTarget(0xd1n, [0x10n, 2n, 0n, 0n])), '!analyze -v -hang');
    expect(lines[6]).toBe('DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)');
    expect(lines.at(-1)).toBe('crashkd: -hang accepted; crashkd runs the same analysis with or without it');
  });

  it('says so when the dump has no bug check', async () => {
    expect(await run(fake(kernelTarget(undefined)), '!analyze -v')).toEqual(['crashkd: this dump records no bug check, so there is nothing to analyze (try kv on each processor)']);
  });

  it('names the hung processor of a 0x101 by PRCB, then by index', async () => {
    const s = await seed();
    expect(hungProcessor(s, [0x31n, 0n, 0xfffff88003165180n, 2n])).toBe(2);
    expect(hungProcessor(s, [0x31n, 0n, 0x1234n, 3n])).toBe(3);
    expect(hungProcessor(s, [0x31n, 0n, 0x1234n, 9n])).toBeUndefined();
  });

  it('builds BUGCHECK_STR the classic way', () => {
    expect(bugcheckString(0x101n, 0x31n, 24)).toBe('CLOCK_WATCHDOG_TIMEOUT_18_PROC');
    expect(bugcheckString(0x1en, 0xffffffffc0000005n, 4)).toBe('0x1E_c0000005');
    expect(bugcheckString(0xfen, 4n, 4)).toBe('0xFE');
    expect(bugcheckString(0x1000007en, 0xffffffffc0000005n, 16)).toBe('0x7E');
  });
});

describe('!analyze on user targets', () => {
  it('reads the exception property and degrades without modules', async () => {
    const s = fake(userTarget({ code: 0xc0000005, address: 0x401000n, flags: 0, parameters: [1n, 0n] }));
    const v = await run(s, '!analyze -v');
    expect(v[2]).toBe('*                        Exception Analysis                                   *');
    expect(v).toContain('   ExceptionCode: c0000005 (Access violation)');
    expect(v).toContain('Attempt to write to address 00000000');
    expect(v).toContain('DEFAULT_BUCKET_ID:  NULL_POINTER_WRITE');
    expect(v).toContain('ERROR_CODE: (NTSTATUS) 0xc0000005 - Access violation');
    expect(v).toContain('SYMBOL_NAME:  ANALYSIS_INCONCLUSIVE');
    const short = await run(s, '!analyze');
    expect(short).toContain('ExceptionCode: c0000005 (Access violation)');
    expect(short).toContain('Probably caused by : Unknown_Image ( ANALYSIS_INCONCLUSIVE )');
  });

  it('says when there is no exception record', async () => {
    const lines = await run(fake(userTarget()), '!analyze -v');
    expect(lines.some((l) => l.startsWith('EXCEPTION_RECORD:'))).toBe(false);
    expect(lines).toContain("crashkd: this dump holds no exception record; the stack is the current thread's");
  });

  it('ignores a malformed exception property', async () => {
    const lines = await run(fake(userTarget({ code: 'boom' })), '!analyze');
    expect(lines).toContain('Probably caused by : Unknown_Image ( ANALYSIS_INCONCLUSIVE )');
  });
});

const testdata = path.resolve(process.cwd(), '../shared/testdata');
const nullWrite = path.join(testdata, 'google+breakpad/src/processor/testdata/null_write_av.dmp');
if (!existsSync(nullWrite)) console.warn(`skipping real-minidump !analyze test: ${nullWrite} is absent`);

describe.skipIf(!existsSync(nullWrite))('!analyze on a real minidump (breakpad null_write_av.dmp)', () => {
  it('blames crashme.exe for a NULL write', async () => {
    const s = createSession(await openTarget(nullWrite));
    const lines = await run(s, '!analyze -v');
    expect(lines).toContain('ExceptionAddress: 0103a6cd (crashme+0xa6cd)');
    expect(lines).toContain('Attempt to write to address 00000000');
    expect(lines).toContain('PROCESS_NAME:  crashme.exe');
    expect(lines).toContain('IMAGE_NAME:  crashme.exe');
    expect(lines).toContain('SYMBOL_NAME:  crashme+a6cd');
  });
});

const triage = path.join(testdata, 'rizinorg+rizin-testbins/dmp/triage_x64.dmp');
if (!existsSync(triage)) console.warn(`skipping triage !analyze test: ${triage} is absent`);

describe.skipIf(!existsSync(triage))('!analyze on the real triage dump (0x1000007E)', () => {
  it('names the _M code, buckets it as 0x7E and blames amdppm.sys', async () => {
    const s = createSession(await openTarget(triage));
    const lines = await run(s, '!analyze -v');
    expect(lines).toContain('SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M (1000007e)');
    expect(lines).toContain('BUGCHECK_STR:  0x7E');
    expect(lines).toContain('IMAGE_NAME:  amdppm.sys');
    expect(lines.some((l) => /^Arg1: ffffffffc0000005, Exception code that was not handled:/.test(l))).toBe(true);
  });
});
