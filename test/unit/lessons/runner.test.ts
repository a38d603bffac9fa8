import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { withLessonCommands } from '../../../src/lessons/lesson-session.js';
import { loadLessonFile } from '../../../src/lessons/load-lesson.js';
import { ProgressStore } from '../../../src/lessons/progress.js';
import { LessonRunner } from '../../../src/lessons/runner.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { out } from '../../../src/repl/output.js';
import { Registry } from '../../../src/repl/registry.js';
import { openSession } from '../../../src/session/open-session.js';
import { CLOCK_LESSON, inlineLesson, startLesson } from './helpers.js';

const step = (id: string, check: string) => `  - id: ${id}
    task: Task ${id}.
    check: ${check}
    hints: [First hint of ${id}., Second hint of ${id}.]
    explanation: Explanation of ${id}.
`;

describe('LessonRunner on the 0x101 lesson', () => {
  it('passes every step when driven by the reference solution', async () => {
    const l = await startLesson();
    for (const entry of l.runner.lesson.solution) await l.type(entry.line);
    expect(l.current()).toBe('complete');
    expect(l.runner.passes.map((p) => p.step.id)).toEqual(l.runner.lesson.steps.map((s) => s.id));
    expect(l.feedback.filter((f) => f.kind === 'passed')).toHaveLength(9);
    expect(l.feedback.at(-1)!.lines.at(-1)).toBe('Lesson complete: 9/9 steps passed, 0 hints used.');
  });

  it('leaves a question open on a wrong answer and says so', async () => {
    const l = await startLesson();
    await l.type('.bugcheck');
    expect(l.current()).toBe('which-processor');
    for (const wrong of ['3', '0x3', 'processor 1', 'the first one']) {
      await l.type(`.answer ${wrong}`);
      expect(l.current()).toBe('which-processor');
    }
    expect(l.feedback.at(-1)).toMatchObject({ kind: 'wrong', lines: ["'the first one' is not the answer this step is looking for. Try again, or .hint for a hint."] });
    await l.type('.answer 0x2');
    expect(l.current()).toBe('clock-interrupt');
  });

  it('leaves a command step open on the wrong command, processor or options', async () => {
    const l = await startLesson();
    await l.type('.bugcheck', '.answer processor #2');
    expect(l.current()).toBe('clock-interrupt');
    await l.type('kb', '~1 kv', 'r', 'k');
    expect(l.current()).toBe('clock-interrupt');
    await l.type('kvn');
    expect(l.current()).toBe('trap-frame');
    await l.type('.trap fffff880`0a5b4010', '.trap', '~1 kv');
    expect(l.current()).toBe('trap-frame');
    // `.trap X` however X is written: here relative to processor 0's rsp.
    await l.type('.trap @rsp+1c8');
    expect(l.current()).toBe('spin-loop');
  });

  it('needs both the command and the answer where a step asks for both', async () => {
    const l = await startLesson();
    for (const e of l.runner.lesson.solution.slice(0, 10)) await l.type(e.line);
    expect(l.current()).toBe('irql');
    await l.type('.answer 0');
    expect(l.current()).toBe('irql');
    expect(l.feedback.at(-1)!.lines[0]).toBe('That answer is right, and the step asks for more:');
    await l.type('!irql');
    expect(l.current()).toBe('raw-stack');
    await l.type('.answer cfosspeed6', 'dps fffff880`0318a970');
    expect(l.current()).toBe('raw-stack');
    await l.type('dqs fffff880`0318bae8 L4');
    expect(l.current()).toBe('complete');
  });

  it('passes when every command is reformatted: checks never read output text', async () => {
    const base = await openSession('fixtures/clock-watchdog-0x101.yaml');
    const reformatted = COMMANDS.map((c) => ({ ...c, format: () => [out('(reformatted)')] }));
    const d = withLessonCommands(new Dispatcher(new Registry(reformatted), base.session));
    const runner = new LessonRunner(loadLessonFile(CLOCK_LESSON), d.session);
    runner.attach(d);
    const texts: string[] = [];
    for (const e of runner.lesson.solution) texts.push(...(await d.execute(e.line, { column: 0 })).map((l) => l.text));
    expect(texts.filter((t) => t !== '(reformatted)')).toEqual([]);
    expect(runner.getView().complete).toBe(true);
    expect(runner.getView().counts.passed).toBe(9);
  });

  it('shows hints one at a time, and skips and goes back', async () => {
    const l = await startLesson();
    expect(await l.type('.hint')).toEqual(["Hint 1/2: The bug check code and parameters are stored in the dump's header; one dot-command prints them."]);
    expect((await l.type('.hint'))[0]).toMatch(/^Hint 2\/2: Type `\.bugcheck`/);
    expect((await l.type('.hint'))[1]).toBe('That was the last hint for this step; .skip moves on.');
    expect(l.runner.getView().counts.hintsUsed).toBe(2);
    expect(await l.type('.back')).toEqual(['This is the first step.', 'Step 1/9: Show the bug check code and its four parameters.']);
    expect(await l.type('.skip')).toEqual([
      'Skipped step 1/9.',
      'Step 2/9: Which processor stopped responding? Answer with `.answer` followed by its number.',
    ]);
    expect(l.runner.getView().counts.skipped).toBe(1);
    await l.type('.back');
    expect(l.current()).toBe('bugcheck');
    await l.type('.bugcheck');
    expect(l.runner.getView().counts).toMatchObject({ passed: 1, skipped: 0 });
    const lesson = await l.type('.lesson');
    expect(lesson).toEqual([
      'Lesson: 0x101 CLOCK_WATCHDOG_TIMEOUT: the processor that stopped answering',
      'Step 2/9: Which processor stopped responding? Answer with `.answer` followed by its number.',
      'Step 2 of 9 · 1 passed · 2 hints used',
    ]);
  });

  it('tells a student who answers a step that is not a question', async () => {
    const l = await startLesson();
    await l.type('.answer 101');
    expect(l.current()).toBe('bugcheck');
    expect(l.feedback.at(-1)!.lines).toEqual([
      'This step is not a question: it passes when you do what it asks.',
      'Step 1/9: Show the bug check code and its four parameters.',
    ]);
  });

  it('saves progress and resumes it', async () => {
    const store = new ProgressStore(mkdtempSync(join(tmpdir(), 'crashkd-progress-')));
    const l = await startLesson(undefined, { store });
    await l.type('.hint', '.bugcheck', '.answer 2', 'kv');
    expect(store.load('clock-watchdog')).toEqual({
      lesson: 'clock-watchdog',
      current: 'trap-frame',
      passed: ['bugcheck', 'which-processor', 'clock-interrupt'],
      skipped: [],
      hints: { bugcheck: 1 },
    });
    const again = await startLesson(undefined, { store, saved: store.load('clock-watchdog')! });
    expect(again.current()).toBe('trap-frame');
    expect(again.runner.introduction()).toContain('Resuming: 3 of 9 steps passed, 1 hint used (crashkd learn clock-watchdog --reset starts over).');
    store.reset('clock-watchdog');
    expect(store.load('clock-watchdog')).toBeUndefined();
  });
});

describe('LessonRunner checks', () => {
  it('count a processor-narrowed command however the processor was chosen', async () => {
    const lesson = inlineLesson('on-two', step('a', '{command: k, processor: 2}') + step('b', '{command: k, processor: 2}') + step('c', '{command: k, processor: 2}'));
    const l = await startLesson(lesson);
    await l.type('~2 kv');
    expect(l.current()).toBe('b');
    await l.type('2kb');
    expect(l.current()).toBe('c');
    await l.type('~2s', 'k');
    expect(l.current()).toBe('complete');
  });

  it('do not count commands run before the step became current', async () => {
    const lesson = inlineLesson('order', step('first', '{command: r}') + step('second', '{command: k}'));
    const l = await startLesson(lesson);
    await l.type('k', 'r');
    expect(l.current()).toBe('second');
    await l.type('k');
    expect(l.current()).toBe('complete');
  });

  it('do not let the command that ran a passing command count for the next step', async () => {
    const lesson = inlineLesson('nested', step('stack', '{command: k, processor: 2}') + step('list', "{command: '~'}"));
    const l = await startLesson(lesson);
    await l.type('~2 kv');
    expect(l.current()).toBe('list');
    await l.type('~');
    expect(l.current()).toBe('complete');
  });

  it('judge processor and scope on the session state, and latch all/any leaves', async () => {
    const lesson = inlineLesson(
      'state',
      step('proc', '{processor: 3}') +
        step('scope', '{scope: {kind: trap, address: 0xfffff88006e534f0}}') +
        step('none', '{scope: none}') +
        step('both', '{all: [{command: k, processor: 1}, {any: [{command: r}, {command: u}]}]}'),
    );
    const l = await startLesson(lesson);
    await l.type('~2s', 'r');
    expect(l.current()).toBe('proc');
    await l.type('~3s');
    expect(l.current()).toBe('scope');
    await l.type('~0s', '.trap 0xfffff88006e534f0');
    expect(l.current()).toBe('none');
    await l.type('.trap');
    expect(l.current()).toBe('both');
    await l.type('~1 kv');
    expect(l.current()).toBe('both');
    await l.type('u @rip L2');
    expect(l.current()).toBe('complete');
  });
});

describe('lesson commands without a lesson', () => {
  it('say that no lesson is active', async () => {
    const d = withLessonCommands(await openSession('fixtures/clock-watchdog-0x101.yaml'));
    for (const c of ['.lesson', '.hint', '.skip', '.back', '.answer 2']) {
      expect((await d.execute(c, { column: 0 })).map((l) => l.text)).toEqual(['No lesson is active (crashkd learn lists the lessons)']);
    }
  });
});
