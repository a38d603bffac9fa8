import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const LESSON = 'fixtures/lessons/clock-watchdog.yaml';
const SCENARIO = 'fixtures/clock-watchdog-0x101.yaml';

function crashkd(args: string[], env: Record<string, string> = {}, input = '') {
  const r = spawnSync(process.execPath, ['bin/crashkd.js', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CRASHKD_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'crashkd-cfg-')), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const temp = (name: string, text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'crashkd-cli-')), name);
  writeFileSync(file, text);
  return file;
};

describe('crashkd learn', () => {
  it('lists the shipped lessons with their progress', () => {
    const r = crashkd(['learn']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Lessons in .*fixtures[/\\]lessons:\n\n/);
    expect(r.stdout).toMatch(/\n {2}clock-watchdog +beginner +new +0x101 CLOCK_WATCHDOG_TIMEOUT: the processor that stopped answering\n/);
    expect(r.stdout).toContain('crashkd learn LESSON starts or resumes a lesson; --reset starts it over.');
  });

  it('lists a broken lesson file with its located error instead of failing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashkd-lessons-'));
    copyFileSync(LESSON, join(dir, 'clock-watchdog.yaml'));
    writeFileSync(join(dir, 'clock-watchdog.yaml'), readFileSync(LESSON, 'utf8').replace('../clock-watchdog-0x101.yaml', resolve(SCENARIO)));
    writeFileSync(join(dir, 'broken.yaml'), 'lesson: broken\ntitle: x\n');
    const r = crashkd(['learn'], { CRASHKD_LESSONS_DIR: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  ${join(dir, 'broken.yaml')}:1:1: missing required key 'scenario'`);
    expect(r.stdout).toMatch(/ {2}clock-watchdog +beginner +new /);
  });

  it('runs a lesson in plain mode with -c, saves progress, resumes it, and --reset starts over', () => {
    const config = mkdtempSync(join(tmpdir(), 'crashkd-cfg-'));
    const r = crashkd(['learn', 'clock-watchdog', '-c', '.bugcheck; .answer 5; .answer 2; q'], { CRASHKD_CONFIG_DIR: config });
    expect(r.code).toBe(0);
    const out = r.stdout.slice(r.stdout.indexOf('Lesson: '));
    expect(out.startsWith('Lesson: 0x101 CLOCK_WATCHDOG_TIMEOUT: the processor that stopped answering\nA Windows 7 machine')).toBe(true);
    const lines = out.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.startsWith(text));
    expect(at('Step 1/9: Show the bug check code')).toBeLessThan(at('0: kd> .bugcheck'));
    expect(at('0: kd> .bugcheck')).toBeLessThan(at('Bugcheck code 00000101'));
    expect(at('Bugcheck code 00000101')).toBeLessThan(at('Passed. 0x101 is CLOCK_WATCHDOG_TIMEOUT.'));
    expect(at('Passed. 0x101')).toBeLessThan(at('Step 2/9: Which processor'));
    expect(lines[at('0: kd> .answer 5') + 1]).toBe("'5' is not the answer this step is looking for. Try again, or .hint for a hint.");
    expect(lines[at('0: kd> .answer 2') + 1]).toMatch(/^Passed\. Processor 2 \(the third one/);
    expect(out).toContain('Step 3/9: Display processor 0');
    expect(existsSync(join(config, 'lessons', 'clock-watchdog.progress.json'))).toBe(true);

    const resumed = crashkd(['learn', 'clock-watchdog', '-c', 'q'], { CRASHKD_CONFIG_DIR: config });
    expect(resumed.stdout).toContain('Resuming: 2 of 9 steps passed, 0 hints used (crashkd learn clock-watchdog --reset starts over).\nStep 3/9:');
    const listed = crashkd(['learn'], { CRASHKD_CONFIG_DIR: config });
    expect(listed.stdout).toMatch(/clock-watchdog +beginner +2\/9 /);

    const reset = crashkd(['learn', 'clock-watchdog', '--reset', '-c', 'q'], { CRASHKD_CONFIG_DIR: config });
    expect(reset.stdout).not.toContain('Resuming');
    expect(reset.stdout).toContain('Step 1/9: Show the bug check code');
  });

  it('reads commands from stdin in plain mode and reports an unknown lesson', () => {
    const r = crashkd(['learn', 'clock-watchdog'], {}, '.hint\n.lesson\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("0: kd> .hint\nHint 1/2: The bug check code and parameters are stored in the dump's header");
    expect(r.stdout).toContain('0: kd> .lesson\nLesson: 0x101');
    const missing = crashkd(['learn', 'no-such-lesson']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("crashkd: no lesson named 'no-such-lesson' (crashkd learn lists the lessons)\n");
  });
});

describe('crashkd lesson check', () => {
  it('runs the solution and reports every step passing', () => {
    const r = crashkd(['lesson', 'check', LESSON]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  step 4/9 trap-frame: passed by '.trap fffff880`06e534f0'\n");
    expect(r.stdout.endsWith('9/9 steps passed\n')).toBe(true);
  });

  it('exits 1 when a step stays open, and on an invalid lesson', () => {
    const text = readFileSync(LESSON, 'utf8').replace('../clock-watchdog-0x101.yaml', resolve(SCENARIO));
    const open = temp('clock-watchdog.yaml', text.replace('  - "~3 kv"\n', ''));
    const r = crashkd(['lesson', 'check', open]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`step 6/9 other-processors stays open: the solution never satisfies its check`);
    expect(r.stdout.endsWith('5/9 steps passed\n')).toBe(true);
    const invalid = temp('clock-watchdog.yaml', text.replace('    task: Show the bug check code and its four parameters.\n', ''));
    const bad = crashkd(['lesson', 'check', invalid]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe(`${invalid}:20:5: missing required key 'task' in steps.0\n`);
  });
});

describe('crashkd scenario check', () => {
  it('passes the seed scenario', () => {
    const r = crashkd(['scenario', 'check', SCENARIO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${SCENARIO}:57:5: note: processor 2 has no saved context (all registers zero): its stack is not checked\n${SCENARIO}: ok (4 processors, 9 modules)\n`);
  });

  it('exits 1 with located messages on a broken scenario', () => {
    const seed = readFileSync(SCENARIO, 'utf8');
    const broken = temp('broken.yaml', seed.replace('parameters: [0x31, 0x0, 0xfffff88003165180, 0x2]', 'parameters: [0x31, 0x0, 0xfffff88003165100, 0x2]'));
    const r = crashkd(['scenario', 'check', broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${broken}:41:27: bug-check parameter 3 (fffff880\`03165100) looks like an address but points at no memory, module or processor structure of the scenario\n`);
    expect(r.stdout.endsWith(`${broken}: 1 problem (4 processors, 9 modules)\n`)).toBe(true);
    const invalid = temp('invalid.yaml', seed.replace('  kind: kernel\n', '  kind: kernal\n'));
    const bad = crashkd(['scenario', 'check', invalid]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`^${invalid.replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
  });

  it('explains its usage', () => {
    const r = crashkd(['scenario', 'inspect']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('crashkd: usage: crashkd scenario check SCENARIO.yaml...\n');
  });
});
