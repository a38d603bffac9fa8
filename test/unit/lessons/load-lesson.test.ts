import { describe, expect, it } from 'vitest';
import { loadLessonFile, LessonError, parseLesson } from '../../../src/lessons/load-lesson.js';
import { CLOCK_LESSON } from './helpers.js';

const FILE = 'fixtures/lessons/demo.yaml';

function lesson(body: string): string {
  return `lesson: demo
title: Demo
scenario: ../clock-watchdog-0x101.yaml
level: beginner
introduction: Text.
${body}`;
}

const STEP = `steps:
  - id: one
    task: Do it.
    check: {command: k}
    hints: [Try k.]
    explanation: Done.
solution: [k]
`;

function errorOf(text: string, file = FILE): string {
  try {
    parseLesson(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(LessonError);
    return (e as Error).message;
  }
  throw new Error('expected a LessonError');
}

describe('lesson loading', () => {
  it('loads the shipped 0x101 lesson with its steps, checks and solution', () => {
    const l = loadLessonFile(CLOCK_LESSON);
    expect(l.id).toBe('clock-watchdog');
    expect(l.level).toBe('beginner');
    expect(l.steps.map((s) => s.id)).toEqual([
      'bugcheck', 'which-processor', 'clock-interrupt', 'trap-frame', 'spin-loop',
      'other-processors', 'hung-context', 'irql', 'raw-stack',
    ]);
    expect(l.steps[2]!.check).toMatchObject({ kind: 'command', name: 'k', processor: 0, options: 'v' });
    expect(l.steps[3]!.check).toMatchObject({ kind: 'scope', scope: { kind: 'trap', address: 0xfffff88006e534f0n } });
    const answer = l.steps[1]!.check;
    expect(answer.kind).toBe('answer');
    if (answer.kind === 'answer') expect(answer.values).toEqual([2n]);
    expect(l.solution[1]!.line).toBe('.answer 2');
    expect(l.scenarioPath.endsWith('fixtures/clock-watchdog-0x101.yaml')).toBe(true);
  });

  it('locates an unknown key at the key itself', () => {
    expect(errorOf(lesson(STEP.replace('    hints:', '    hnts: [x]\n    hints:')))).toBe(`${FILE}:10:5: unknown key 'hnts'`);
  });

  it('names a missing required key and where it belongs', () => {
    expect(errorOf(lesson(STEP.replace('    explanation: Done.\n', '')))).toBe(`${FILE}:7:5: missing required key 'explanation' in steps.0`);
  });

  it('rejects a check with two kinds, and one with none', () => {
    expect(errorOf(lesson(STEP.replace('{command: k}', '{scope: none, answer: {values: [1]}}')))).toBe(
      `${FILE}:9:12: a check has exactly one kind, this one has scope and answer; combine checks with all: [...] or any: [...]`,
    );
    expect(errorOf(lesson(STEP.replace('{command: k}', '{comand: k}')))).toBe(
      `${FILE}:9:12: a check needs one of: command, scope, processor, answer, all, any (found 'comand')`,
    );
  });

  it('validates inside nested checks and reports the nested position', () => {
    const text = lesson(STEP.replace('{command: k}', '\n      all:\n        - {command: k}\n        - {processor: 2, extra: 1}'));
    expect(errorOf(text)).toBe(`${FILE}:12:26: unknown key 'extra'`);
  });

  it('allows processor, options and address to narrow a command', () => {
    const l = parseLesson(lesson(STEP.replace('{command: k}', '{command: d, processor: 2, options: ps, address: "fffff880`0318a978"}')), FILE);
    expect(l.steps[0]!.check).toMatchObject({ kind: 'command', name: 'd', processor: 2, options: 'ps', address: 0xfffff8800318a978n });
  });

  it('rejects a bad regular expression at its position', () => {
    const text = lesson(STEP.replace('{command: k}', "{answer: {patterns: ['ok', '(unclosed']}}"));
    expect(errorOf(text)).toMatch(new RegExp(`^${FILE}:9:39: not a valid regular expression`));
  });

  it('rejects duplicate step ids, a lesson id that is not the file name, and a missing scenario', () => {
    const twice = STEP.replace('solution:', `  - id: one
    task: Again.
    check: {command: r}
    hints: [r]
    explanation: Done.
solution:`);
    expect(errorOf(lesson(twice))).toBe(`${FILE}:12:9: step id 'one' is already used by step 1`);
    expect(errorOf(lesson(STEP), 'fixtures/lessons/other.yaml')).toBe("fixtures/lessons/other.yaml:1:9: the lesson id 'demo' must be the file name without .yaml ('other')");
    expect(errorOf(lesson(STEP).replace('../clock-watchdog-0x101.yaml', 'nowhere.yaml'))).toMatch(/^fixtures\/lessons\/demo\.yaml:3:11: scenario file not found: .*nowhere\.yaml$/);
  });

  it('requires hints and a solution, and reports YAML syntax errors with their position', () => {
    expect(errorOf(lesson(STEP.replace('[Try k.]', '[]')))).toBe(`${FILE}:10:12: steps.0.hints: give at least one hint (the last may give the command away)`);
    expect(errorOf(lesson(STEP.replace('solution: [k]\n', '')))).toBe(`${FILE}:1:1: missing required key 'solution'`);
    expect(errorOf(lesson(STEP.replace('{command: k}', '{command: k')))).toMatch(new RegExp(`^${FILE}:\\d+:\\d+: `));
  });

  it('turns answer entries of the solution into .answer lines', () => {
    const l = parseLesson(lesson(STEP.replace('solution: [k]', 'solution: [k, {answer: 0x2}, {answer: processor 2}]')), FILE);
    expect(l.solution.map((e) => e.line)).toEqual(['k', '.answer 2', '.answer processor 2']);
  });
});
