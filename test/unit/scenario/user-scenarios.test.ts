import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_EXCEPTION_CONTEXT } from '../../../commands/ecxr.js';
import { NO_STORED_RECORD } from '../../../commands/exr.js';
import { openingBanner } from '../../../src/format/banner.js';
import { compileScenario } from '../../../src/scenario/compile-scenario.js';
import { parseScenario, ScenarioError } from '../../../src/scenario/load-scenario.js';
import { versionOfBuild } from '../../../src/scenario/user-system.js';
import { openSession } from '../../../src/session/open-session.js';
import type { Target } from '../../../src/target/target.js';
import { MinidumpTarget, USER_FULL_DUMP_LINE, USER_MINI_DUMP_LINE } from '../../../src/target/user/minidump-target.js';

/** A small valid user-mode scenario; each case below breaks one thing in it. Line numbers matter. */
const USER_BASE = `scenario: u
target:
  kind: user
  arch: x64
  build: 19045
  processorCount: 4
  sessionTime: 2024-02-06T10:17:52.000Z
  utcOffsetMinutes: 60
  processUptimeSeconds: 75
process: {id: 0x3a2c, image: app.exe}
exception:
  thread: 0x2f0c
  code: 0xc0000005
  address: 0x7ff600001010
  parameters: [0x1, 0x20]
  context: {rip: 0x7ff600001010, rsp: 0x5000f00, rcx: 0x0}
threads:
  - {id: 0x1b48, teb: 0x3000000, context: {rip: 0x7ff600001000, rsp: 0x5000e00}}
  - {id: 0x2f0c, teb: 0x3002000, suspendCount: 1, context: {rip: 0x7ff600001010, rsp: 0x5000f00}}
modules:
  - {name: ntdll, image: ntdll.dll, base: 0x7ffd00000000, size: 0x10000, symbols: pdb}
  - name: app
    image: app.exe
    path: 'C:\\app\\app.exe'
    base: 0x7ff600000000
    size: 0x4000
    symbols: none
    functions:
      - {begin: 0x1000, size: 0x40, prolog: [alloc 0x28]}
memory:
  - address: 0x7ff600001010
    bytes: 89 41 20
  - address: 0x5000f00
    qwords: [0x0, 0x0, 0x0, 0x0, 0x0, 0x0]
`;

function compile(text: string): MinidumpTarget {
  const { scenario, locate } = parseScenario(text, 'u.yaml');
  return compileScenario(scenario, locate, 'u.yaml') as MinidumpTarget;
}

/** Loads and compiles text; returns the ScenarioError message (fails the test on success or another error). */
function errorOf(text: string): string {
  try {
    compile(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('the scenario loaded, but it should have failed');
}

function replaced(from: string, to: string): string {
  expect(USER_BASE).toContain(from);
  return USER_BASE.replace(from, to);
}

describe('user-mode scenarios compile into a minidump target', () => {
  it('is a MinidumpTarget of kind user, so the minidump-only commands read it', () => {
    const t = compile(USER_BASE);
    expect(t).toBeInstanceOf(MinidumpTarget);
    expect(t.kind).toBe('user');
    expect(t.arch).toBe('x64');
    expect(t.pointerSize).toBe(8);
    expect(t.dumpKindLine).toBe(USER_MINI_DUMP_LINE);
    expect((t as Target).bugCheck).toBeUndefined();
  });

  it('threads become units with process id, thread id, TEB and suspend count', () => {
    const t = compile(USER_BASE);
    expect(t.units.map((u) => [u.index, u.processId, u.threadId, u.teb, u.suspendCount])).toEqual([
      [0, 0x3a2c, 0x1b48, 0x3000000n, 0],
      [1, 0x3a2c, 0x2f0c, 0x3002000n, 1],
    ]);
    expect(t.units[0]!.context.get('rip')).toBe(0x7ff600001000n);
    expect(t.units[0]!.context.source).toBe('thread');
    expect(t.processId).toBe(0x3a2c);
  });

  it('the exception has the shape MinidumpTarget exposes, and its thread is the initial unit', () => {
    const t = compile(USER_BASE);
    const ex = t.exception!;
    expect(ex.threadId).toBe(0x2f0c);
    expect(ex.threadIndex).toBe(1);
    expect(ex.code).toBe(0xc0000005);
    expect(ex.flags).toBe(0);
    expect(ex.record).toBe(0n);
    expect(ex.address).toBe(0x7ff600001010n);
    expect(ex.parameters).toEqual([1n, 0x20n]);
    expect(ex.context?.get('rip')).toBe(0x7ff600001010n);
    expect(ex.context?.get('rcx')).toBe(0n);
    expect(ex.context?.source).toBe('exception');
    expect(t.file.exception?.numberParameters).toBe(2);
    expect(t.initialUnit).toBe(1);
  });

  it('lists the process image first, with its path, and reads memory and synthesized headers', () => {
    const t = compile(USER_BASE);
    expect(t.modules.map((m) => [m.name, m.imageName, m.imagePath])).toEqual([
      ['app', 'app.exe', 'C:\\app\\app.exe'],
      ['ntdll', 'ntdll.dll', 'C:\\Windows\\System32\\ntdll.dll'],
    ]);
    expect([...t.memory.readPartial(0x7ff600001010n, 3)]).toEqual([0x89, 0x41, 0x20]);
    expect([...t.memory.readPartial(0x7ff600000000n, 2)]).toEqual([0x4d, 0x5a]);
    expect(t.memory.readPartial(0x7ff600002000n, 1)).toHaveLength(0);
    expect(t.threads[1]!.stackStart).toBe(0x5000f00n);
    expect(t.threads[1]!.stackSize).toBe(0x30);
  });

  it('builds the version, product, time and uptime lines from the target facts', () => {
    const t = compile(USER_BASE);
    expect(t.system.versionLine).toBe('Windows 10 Version 19045 MP (4 procs) Free x64');
    expect(t.system.productLine).toBe('Product: WinNt, suite: ');
    expect(t.system.debugSessionTime).toBe('Tue Feb  6 11:17:52.000 2024 (UTC + 1:00)');
    expect(t.system.processUptime).toBe('0 days 0:01:15.000');
    expect(t.system.buildNumber).toBe(19045);
  });

  it('reads dumpType full, suites, service packs, product types and the build string', () => {
    const t = compile(
      replaced('  build: 19045\n', '  build: 7601\n  dumpType: full\n  servicePack: 1\n  productType: ServerNt\n  suite: TerminalServer SingleUserTS\n  buildLab: 7601.17514.amd64fre.win7sp1_rtm.101119-1850\n'),
    );
    expect(t.dumpKindLine).toBe(USER_FULL_DUMP_LINE);
    expect(t.system.versionLine).toBe('Windows 7 Version 7601 (Service Pack 1) MP (4 procs) Free x64');
    expect(t.system.productLine).toBe('Product: ServerNt, suite: TerminalServer SingleUserTS');
    expect(t.system.buildLine).toBe('7601.17514.amd64fre.win7sp1_rtm.101119-1850');
  });

  it('without an exception the dump stores none and thread 0 is current', () => {
    const text = USER_BASE.replace(/exception:\n(  .*\n)+/, '');
    const t = compile(text);
    expect(t.exception).toBeUndefined();
    expect(t.initialUnit).toBe(0);
  });

  it('a thread with an empty context saved no registers', () => {
    const t = compile(replaced('{id: 0x1b48, teb: 0x3000000, context: {rip: 0x7ff600001000, rsp: 0x5000e00}}', '{id: 0x1b48}'));
    expect(t.units[0]!.contextNote).toBe('no register context was saved for this thread');
    expect(t.units[0]!.teb).toBe(0n);
    expect(t.units[0]!.context.get('rip')).toBe(0n);
  });

  it('maps builds to the versions SystemInfo records', () => {
    expect([19045, 9600, 9200, 7601, 6002, 3790, 2600, 2195].map(versionOfBuild)).toEqual([
      { major: 10, minor: 0 },
      { major: 6, minor: 3 },
      { major: 6, minor: 2 },
      { major: 6, minor: 1 },
      { major: 6, minor: 0 },
      { major: 5, minor: 2 },
      { major: 5, minor: 1 },
      { major: 5, minor: 0 },
    ]);
  });
});

describe('user-mode scenario validation: every problem is a located ScenarioError', () => {
  const cases: [string, string, string][] = [
    ['processors instead of threads', replaced('threads:', 'processors: []\nthreads:'), "u.yaml:17:1: unknown key 'processors'"],
    ['a kernel-only target key', replaced('  build: 19045\n', '  build: 19045\n  dumpType: kernel\n'), 'u.yaml:6:13: target.dumpType: Invalid option: expected one of "mini"|"full"'],
    ['no threads', replaced(/threads:\n(  - .*\n)+/.exec(USER_BASE)![0], ''), "u.yaml:1:1: missing required key 'threads'"],
    ['an exception on an unknown thread', replaced('thread: 0x2f0c', 'thread: 1'), 'u.yaml:12:11: no thread has id 1 (exception.thread is a thread id, not an index)'],
    ['a thread id used twice', replaced('{id: 0x2f0c, teb', '{id: 0x1b48, teb'), 'u.yaml:19:10: thread id 1b48 is used twice'],
    ['a process image no module has', replaced('image: app.exe}', 'image: viewer.exe}'), "u.yaml:10:30: no module has image 'viewer.exe'"],
    ['a partial register in a thread context', replaced('context: {rip: 0x7ff600001000, rsp', 'context: {eip: 0x7ff600001000, rsp'), "u.yaml:18:49: 'eip' is not a full x64 register"],
    ['a bad register in the exception context', replaced('rcx: 0x0}', 'xmm0: 0x0}'), "u.yaml:16:56: 'xmm0' is not a full x64 register"],
    ['too many exception parameters', replaced('[0x1, 0x20]', `[${Array(16).fill('0x0').join(', ')}]`), 'u.yaml:15:15: exception.parameters: Too big: expected array to have <=15 items'],
    ['an unknown suite', replaced('  build: 19045\n', '  build: 19045\n  suite: SingleUser\n'), "u.yaml:6:10: unknown suite 'SingleUser' (one of"],
    ['overlapping memory', `${USER_BASE}  - address: 0x5000f08\n    qwords: [0x1]\n`, 'u.yaml:35:14: memory at 00000000`05000f08 overlaps the block at 00000000`05000f00 (u.yaml:33:14)'],
    ['memory over a header page', `${USER_BASE}  - address: 0x7ffd00000800\n    qwords: [0x1]\n`, 'u.yaml:35:14: memory overlaps the synthesized image header of ntdll (00007ffd`00000000, 1000 bytes)'],
  ];

  it.each(cases)('%s', (_name, text, message) => {
    expect(errorOf(text)).toContain(message);
  });

  it('a wrong kind still reads as a kernel scenario, with the kernel message', () => {
    expect(errorOf(replaced('kind: user', 'kind: usr'))).toMatch(/^u\.yaml:3:9: target\.kind: /);
  });
});

describe('user-mode commands read a scenario target as they read a minidump', () => {
  async function open(text = USER_BASE) {
    const dir = mkdtempSync(join(tmpdir(), 'crashkd-user-'));
    const file = join(dir, 'u.yaml');
    writeFileSync(file, text);
    const d = await openSession(file);
    return { d, file, run: async (line: string) => (await d.execute(line, { column: 0 })).map((l) => l.text) };
  }

  it('opens on the exception thread with a user-mode prompt and banner', async () => {
    const { d, file } = await open();
    expect(d.session.prompt()).toBe('0:001> ');
    const banner = openingBanner(d.session);
    expect(banner).toContain(`Loading Dump File [${file}]`);
    expect(banner).toContain(USER_MINI_DUMP_LINE);
    expect(banner).toContain('This dump file has an exception of interest stored in it.');
    expect(banner).toContain('(3a2c.2f0c): Access violation - code c0000005 (first/second chance not available)');
  });

  it('.lastevent, .exr -1, ~ and | show the stored facts', async () => {
    const { run } = await open();
    expect(await run('.lastevent')).toEqual([
      'Last event: 3a2c.2f0c: Access violation - code c0000005 (first/second chance not available)',
      '  debugger time: Tue Feb  6 11:17:52.000 2024 (UTC + 1:00)',
    ]);
    const exr = await run('.exr -1');
    expect(exr).toContain('ExceptionAddress: 00007ff600001010 (app+0x0000000000001010)');
    expect(exr).toContain('NumberParameters: 2');
    expect(exr.at(-1)).toBe('Attempt to write to address 0000000000000020');
    expect(await run('~')).toEqual([
      '   0  Id: 3a2c.1b48 Suspend: 0 Teb: 00000000`03000000 Unfrozen',
      '.  1  Id: 3a2c.2f0c Suspend: 1 Teb: 00000000`03002000 Unfrozen',
    ]);
    expect(await run('|')).toEqual(['.  0\tid: 3a2c\texamine\tname: C:\\app\\app.exe']);
  });

  it('.ecxr switches to the exception registers and shows the faulting instruction', async () => {
    const { d, run } = await open();
    await run('~0s');
    const lines = await run('.ecxr');
    expect(lines[0]).toBe('rax=0000000000000000 rbx=0000000000000000 rcx=0000000000000000');
    expect(lines.at(-1)).toMatch(/^00007ff6`00001010 894120 +mov +dword ptr \[rcx\+20h\],eax/);
    expect(d.session.scope?.kind).toBe('cxr');
    expect(d.session.registers().get('rsp')).toBe(0x5000f00n);
  });

  it('without an exception, .ecxr and .exr -1 say the dump has none', async () => {
    const { run } = await open(USER_BASE.replace(/exception:\n(  .*\n)+/, ''));
    expect(await run('.ecxr')).toEqual([...NO_EXCEPTION_CONTEXT]);
    expect(await run('.exr -1')).toEqual([NO_STORED_RECORD]);
  });
});

describe('the user-mode example of docs/scenarios.md', () => {
  const doc = readFileSync('docs/scenarios.md', 'utf8');
  const block = /<!-- example: user-minimal\.yaml -->\n```yaml\n([\s\S]*?)```\n/.exec(doc)?.[1];

  it('loads, and .ecxr; kv shows its one frame', async () => {
    expect(block).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'crashkd-user-doc-'));
    const file = join(dir, 'tiny-user.yaml');
    writeFileSync(file, block!);
    const d = await openSession(file);
    expect(d.session.prompt()).toBe('0:000> ');
    const lines = (await d.execute('.ecxr; kv', { column: 0 })).map((l) => l.text);
    expect(lines.some((l) => /mov +dword ptr \[rcx\+20h\],eax/.test(l))).toBe(true);
    const rows = lines.filter((l) => / : app\+0x1010$/.test(l));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^00000000`05000f00 00000000`00000000 : /);
  });
});

describe('truncated user-mode scenarios', () => {
  it('every 193rd-byte prefix of the reference example loads or fails with a located ScenarioError', () => {
    const text = readFileSync('fixtures/user-access-violation.yaml', 'utf8');
    let failed = 0;
    for (let n = 0; n <= text.length; n += 193) {
      try {
        const { scenario, locate } = parseScenario(text.slice(0, n), 'av.yaml');
        compileScenario(scenario, locate, 'av.yaml');
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw new Error(`prefix of ${n} bytes threw ${(e as Error).name}: ${(e as Error).message}`);
        expect(e.message).toMatch(/^av\.yaml:\d+:\d+: \S/);
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(10);
  });
});
