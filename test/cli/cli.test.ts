import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SEED = 'fixtures/clock-watchdog-0x101.yaml';

function crashkd(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/crashkd.js', ...args], { input: input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The session part of plain output: from the first prompt on. */
function session(stdout: string): string {
  return stdout.slice(stdout.indexOf('0: kd> '));
}

describe('crashkd CLI (plain mode)', () => {
  it('runs -c commands, echoing each after its prompt, with WinDbg texts', () => {
    const r = crashkd([SEED, '-c', '? 0n10+0x10; ? 1`0000*2; n; xyzzy; !nosuchext; .echo done; q']);
    expect(r.code).toBe(0);
    expect(session(r.stdout)).toBe(
      [
        '0: kd> ? 0n10+0x10',
        'Evaluate expression: 26 = 00000000`0000001a',
        '0: kd> ? 1`0000*2',
        'Evaluate expression: 131072 = 00000000`00020000',
        '0: kd> n',
        'base is 16',
        '0: kd> xyzzy',
        "       ^ Syntax error in 'xyzzy'",
        '0: kd> !nosuchext',
        'No export nosuchext found',
        '0: kd> .echo done',
        'done',
        '0: kd> q',
        'quit:',
        '',
      ].join('\n'),
    );
  });

  it('prints the kernel banner before the first prompt', () => {
    const r = crashkd([SEED, '-c', 'q']);
    expect(r.stdout).toContain(`Loading Dump File [${SEED}]`);
    expect(r.stdout).toContain('Kernel Complete Dump File: Full address space is available');
    expect(r.stdout).toContain('Windows 7 Kernel Version 7601 (Service Pack 1) MP (4 procs) Free x64');
    expect(r.stdout).toContain('BugCheck 101, {31, 0, fffff88003165180, 2}');
    expect(r.stdout).toContain('Probably caused by : Unknown_Image ( ANALYSIS_INCONCLUSIVE )');
  });

  it('reads commands from stdin and exits 0 at end of input', () => {
    const r = crashkd([SEED], '~2s\n!irql\n');
    expect(r.code).toBe(0);
    expect(session(r.stdout)).toBe('0: kd> ~2s\n2: kd> !irql\nDebugger saved IRQL for processor 0x2 -- 0 (LOW_LEVEL)\n');
  });

  it('runs a -cf script and logs with -logo', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashkd-cli-'));
    const script = join(dir, 'cmds.txt');
    const log = join(dir, 'session.log');
    writeFileSync(script, '.echo from script\n? 2*3\n');
    const r = crashkd(['-cf', script, '-logo', log, '-z', SEED]);
    expect(r.code).toBe(0);
    expect(session(r.stdout)).toBe('0: kd> .echo from script\nfrom script\n0: kd> ? 2*3\nEvaluate expression: 6 = 00000000`00000006\n');
    expect(readFileSync(log, 'utf8')).toContain('0: kd> ? 2*3\nEvaluate expression: 6 = 00000000`00000006\n');
  });

  it('rejects unknown flags and missing dumps with one line and exit code 2', () => {
    const bad = crashkd(['--frobnicate', SEED]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const missing = crashkd(['no/such/file.dmp']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("crashkd: Could not find the dump file 'no/such/file.dmp'\n");
    const none = crashkd([]);
    expect(none.code).toBe(2);
  });

  it('prints --help and --version', () => {
    expect(crashkd(['--help']).stdout).toContain('usage: crashkd');
    expect(crashkd(['--version']).stdout).toMatch(/^crashkd \d+\.\d+\.\d+\n$/);
  });
});
