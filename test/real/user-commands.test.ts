import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openingBanner } from '../../src/format/banner.js';
import { Dispatcher } from '../../src/repl/dispatcher.js';
import { runEchoed } from '../../src/repl/transcript.js';
import { createSession } from '../../src/session/create-session.js';
import type { DumpSession } from '../../src/session/dump-session.js';
import { openTarget } from '../../src/session/open-target.js';
import { readGolden } from '../golden/golden-runner.js';
import { runLine, userRegistry } from '../unit/user/synthetic-dumps.js';
import { findDumps, readLldb, TESTDATA } from './minidump-references.js';

const present = existsSync(TESTDATA);
if (!present) console.warn(`skipping real user-mode command tests: ${TESTDATA} is absent`);

const BREAKPAD = path.join(TESTDATA, 'google+breakpad/src/processor/testdata');
const SIGSEGV = path.join(TESTDATA, 'llvm-mirror+lldb/test/Shell/Minidump/Windows/Sigsegv/Inputs/sigsegv.dmp');

async function open(file: string): Promise<{ session: DumpSession; run: (line: string) => Promise<string[]> }> {
  const session = createSession(await openTarget(file));
  const d = new Dispatcher(userRegistry(), session);
  return { session, run: (line) => runLine(d, line) };
}

/** lldb's stop reason for the crashing thread: code and address. */
function lldbStop(file: string): { code: number; address: bigint } | undefined {
  const m = /stop reason = Exception (0x[0-9a-f]+) encountered at address (0x[0-9a-f]+)/.exec(readFileSync(file, 'utf8'));
  return m ? { code: Number(m[1]), address: BigInt(m[2]!) } : undefined;
}

describe.skipIf(!present)('user-mode event commands on every real minidump', () => {
  const dumps = findDumps(TESTDATA).filter((f) => existsSync(`${f}.lldb.txt`) && !/invalid-r|triage/.test(f));

  it.each(dumps.map((f) => [path.basename(f), f]))('%s: |, .lastevent, .ecxr and .exr -1 agree with lldb', async (_n, file) => {
    const ref = readLldb(`${file}.lldb.txt`);
    const stop = lldbStop(`${file}.lldb.txt`);
    const { session, run } = await open(file);
    const pid = (ref.pid ?? 0).toString(16);
    expect(await run('|')).toEqual([`.  0\tid: ${pid}\texamine\tname: ${ref.images[0]!.path}`]);
    const selected = ref.threads.find((t) => t.selected)!;
    const last = await run('.lastevent');
    const ecxr = await run('.ecxr');
    const exr = (await run('.exr -1')).filter((l) => !l.startsWith('*** ERROR'));
    if (stop) {
      expect(last[0]).toMatch(new RegExp(`^Last event: ${pid}\\.${selected.tid.toString(16)}: .* - code ${stop.code.toString(16).padStart(8, '0')} \\(first/second chance not available\\)$`));
      expect(exr[0]).toMatch(new RegExp(`^ExceptionAddress: 0*${stop.address.toString(16)}\\b`));
      expect(exr[1]).toMatch(new RegExp(`^   ExceptionCode: ${stop.code.toString(16)}`));
      // lldb reports the crashing thread's pc from the exception context.
      expect(session.registers().ip).toBe(selected.pc);
      expect(ecxr.length).toBeGreaterThan(3);
    } else {
      expect(ecxr).toEqual(["Minidump doesn't have an exception context", 'Unable to get exception context, HRESULT 0x80004002']);
    }
    for (const line of [...(await run('!teb')), ...(await run('!peb')), ...last, ...ecxr, ...exr]) expect(line).not.toMatch(/internal error/);
  });

  it('minidump2.dmp: the opening banner announces the access violation and shows thread 0', async () => {
    const { session } = await open(path.join(BREAKPAD, 'minidump2.dmp'));
    const banner = openingBanner(session);
    const at = banner.indexOf('This dump file has an exception of interest stored in it.');
    expect(banner.slice(at, at + 6)).toEqual([
      'This dump file has an exception of interest stored in it.',
      'The stored exception information can be accessed via .ecxr.',
      '(f5c.bf4): Access violation - code c0000005 (first/second chance not available)',
      'eax=00400000 ebx=7c883780 ecx=7c80b46e edx=7c97c0d8 esi=000007b8 edi=00000000',
      'eip=7c90eb94 esp=0012f320 ebp=0012f384 iopl=0         nv up ei pl zr na pe nc',
      'cs=001b  ss=0023  ds=0023  es=0023  fs=003b  gs=0000             efl=00000246',
    ]);
    expect(banner.at(-1)).toBe('7c90eb94 c3              ret');
  });

  it('sigsegv.dmp: !teb and !peb read the thread and process blocks kept in the dump', async () => {
    const { run } = await open(SIGSEGV);
    const teb = await run('!teb');
    expect(teb[0]).toBe('TEB at 000000addac91000');
    expect(teb).toContain('    Self:                 000000addac91000');
    // pid 13052 and tid 0x2a6c, as lldb reports them.
    expect(teb).toContain('    ClientId:             00000000000032fc . 0000000000002a6c');
    expect(teb).toContain('    PEB Address:          000000addac90000');
    const peb = await run('!peb');
    expect(peb[0]).toBe('PEB at 000000addac90000');
    // The image base and path lldb lists for sigsegv.exe.
    expect(peb).toContain('    ImageBaseAddress:         00007ff7a1310000');
    expect(peb).toContain("    ImageFile:    'C:\\temp\\sigsegv.exe'");
  });

  it('tiny-exe-fastfail.dmp: .exr -1 names the fast-fail subcode breakpad reports', async () => {
    const { run } = await open(path.join(BREAKPAD, 'tiny-exe-fastfail.dmp'));
    const exr = (await run('.exr -1')).filter((l) => !l.startsWith('*** ERROR'));
    expect(exr[0]).toBe('ExceptionAddress: 00007ff75355af42 (tiny+0x000000000001af42)');
    expect(exr[1]).toBe('   ExceptionCode: c0000409 (Stack buffer overrun)');
    expect(exr.at(-1)).toBe('Subcode: 0x7 FAST_FAIL_FATAL_APP_EXIT');
  });

  it('invalid-parameter.dmp: the invalid-parameter exception is an unknown event to cdb', async () => {
    const { run } = await open(path.join(TESTDATA, 'rust-minidump+rust-minidump/testdata/invalid-parameter.dmp'));
    expect((await run('.lastevent'))[0]).toBe('Last event: 1870.1708: Unknown exception - code c000000d (first/second chance not available)');
  });
});

describe.skipIf(!present)('user-mode golden transcripts', () => {
  const dir = path.resolve(process.cwd(), 'test/golden');
  for (const name of readdirSync(dir).filter((f) => /^user-.*\.transcript$/.test(f))) {
    it(name, async () => {
      const g = readGolden(path.join(dir, name));
      const session = createSession(await openTarget(g.target));
      const d = new Dispatcher(userRegistry(), session);
      let text = '';
      for (const c of g.commands) {
        const lines = c.startsWith('|') ? [`${session.prompt()}${c}`, ...(await runLine(d, c))] : (await runEchoed(d, c)).map((l) => l.text);
        text += lines.map((l) => `${l}\n`).join('');
      }
      expect(text).toBe(g.body);
    });
  }
});
