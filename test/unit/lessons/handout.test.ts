import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHandout } from '../../../src/lessons/handout.js';
import { markdownLine } from '../../../src/lessons/markdown-text.js';
import { recordTranscript } from '../../../src/lessons/transcript-recorder.js';
import { withLessonCommands } from '../../../src/lessons/lesson-session.js';
import { openSession } from '../../../src/session/open-session.js';
import { runEchoed } from '../../../src/repl/transcript.js';
import { startLesson } from './helpers.js';

describe('markdownLine', () => {
  it('keeps address backticks literal and pairs the others into code spans', () => {
    expect(markdownLine('PRCB at fffff880`03165180.')).toBe('PRCB at fffff880\\`03165180.');
    expect(markdownLine('Type `kv` then `.trap fffff880`06e534f0`.')).toBe('Type `kv` then `` .trap fffff880`06e534f0 ``.');
    expect(markdownLine("The frame named ?? ::FNODOBFM::`string' is cold code.")).toBe("The frame named ?? ::FNODOBFM::\\`string' is cold code.");
  });
});

describe('renderHandout', () => {
  it('fences commands with a fence longer than any backtick run in the output', () => {
    const text = renderHandout({ source: 'x.yaml', entries: [{ prompt: '0: kd> ', command: 'x', output: ['a ``` b'] }] });
    expect(text).toBe(['# crashkd session', '', 'Dump: `x.yaml`', '', '````text', '0: kd> x', 'a ``` b', '````', ''].join('\n'));
  });
});

describe('.transcript save', () => {
  it('writes commands with outputs, and the explanations of steps passed, in order', async () => {
    const l = await startLesson();
    const file = join(mkdtempSync(join(tmpdir(), 'crashkd-handout-')), 'handout.md');
    for (const line of ['.hint', '.bugcheck', '.answer 2', '~']) await runEchoed(l.dispatcher, line);
    const saved = await runEchoed(l.dispatcher, `.transcript save ${file}`);
    expect(saved.map((x) => x.text)).toEqual([`0: kd> .transcript save ${file}`, `Transcript saved to ${file} (3 command lines, 2 step explanations)`]);
    const md = readFileSync(file, 'utf8');
    expect(md.startsWith('# 0x101 CLOCK_WATCHDOG_TIMEOUT: the processor that stopped answering\n\nDump: `')).toBe(true);
    const bugcheck = md.indexOf('```text\n0: kd> .bugcheck\nBugcheck code 00000101\n');
    const step1 = md.indexOf('**Step 1/9: Show the bug check code and its four parameters.**');
    const arg3 = md.indexOf('- Arg3 = fffff880\\`03165180: the PRCB');
    const answer = md.indexOf('```text\n0: kd> .answer 2\n```');
    const step2 = md.indexOf('**Step 2/9: Which processor stopped responding?');
    const list = md.indexOf('0: kd> ~\n.  0  Processor 0');
    expect([bugcheck, step1, arg3, answer, step2, list].every((i) => i > 0)).toBe(true);
    expect(bugcheck < step1 && step1 < arg3 && arg3 < answer && answer < step2 && step2 < list).toBe(true);
    expect(md).not.toContain('.hint');
    expect(md).toContain('## Steps not passed in this session\n\n- Step 3: Display processor 0');
  });

  it('works outside lesson mode when the session is recorded', async () => {
    const d = withLessonCommands(await openSession('fixtures/clock-watchdog-0x101.yaml'));
    recordTranscript(d.session);
    const file = join(mkdtempSync(join(tmpdir(), 'crashkd-handout-')), 'plain.md');
    await runEchoed(d, '~2s');
    await runEchoed(d, '!irql');
    await runEchoed(d, `.transcript save ${file}`);
    expect(readFileSync(file, 'utf8')).toMatch(
      /^# crashkd session\n\nDump: `fixtures\/clock-watchdog-0x101\.yaml` · .* UTC\n\n```text\n0: kd> ~2s\n2: kd> !irql\nDebugger saved IRQL for processor 0x2 -- 0 \(LOW_LEVEL\)\n```\n$/,
    );
  });
});
