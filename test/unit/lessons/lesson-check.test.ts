import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLesson } from '../../../src/lessons/lesson-check.js';
import { CLOCK_LESSON } from './helpers.js';

const LESSONS = resolve('fixtures/lessons');
const SCENARIO = resolve('fixtures/clock-watchdog-0x101.yaml');

/** The 0x101 lesson, edited, in a temporary folder (its scenario path made absolute). */
function edited(edit: (text: string) => string): string {
  const text = readFileSync(CLOCK_LESSON, 'utf8').replace('scenario: ../clock-watchdog-0x101.yaml', `scenario: ${SCENARIO}`);
  const file = join(mkdtempSync(join(tmpdir(), 'crashkd-lcheck-')), 'clock-watchdog.yaml');
  writeFileSync(file, edit(text));
  return file;
}

describe('lesson check', () => {
  const files = readdirSync(LESSONS).filter((n) => n.endsWith('.yaml'));
  it.each(files)('every shipped lesson passes with its reference solution: %s', async (name) => {
    const report = await checkLesson(join(LESSONS, name));
    expect(report.lines.join('\n')).toMatch(/(\d+)\/\1 steps passed$/);
    expect(report.ok).toBe(true);
  });

  it('reports each step of the 0x101 lesson with the solution entry that passed it', async () => {
    const report = await checkLesson(CLOCK_LESSON);
    expect(report.lines.slice(1)).toEqual([
      "  step 1/9 bugcheck: passed by '.bugcheck'",
      "  step 2/9 which-processor: passed by '.answer 2'",
      "  step 3/9 clock-interrupt: passed by 'kv'",
      "  step 4/9 trap-frame: passed by '.trap fffff880`06e534f0'",
      "  step 5/9 spin-loop: passed by '.answer the other processors'",
      "  step 6/9 other-processors: passed by '~3 kv'",
      "  step 7/9 hung-context: passed by 'r'",
      "  step 8/9 irql: passed by '.answer 0'",
      "  step 9/9 raw-stack: passed by '.answer cfosspeed6'",
      '9/9 steps passed',
    ]);
  });

  it('fails when the solution leaves a step open, naming the step and its check', async () => {
    const file = edited((t) => t.replace('  - {answer: "2"}\n', '  - {answer: "3"}\n'));
    const report = await checkLesson(file);
    expect(report.ok).toBe(false);
    expect(report.passed).toEqual(['bugcheck']);
    expect(report.lines).toContain(`${file}:40:7: step 2/9 which-processor stays open: the solution never satisfies its check`);
    expect(report.lines.at(-1)).toBe('1/9 steps passed');
  });

  it('notes solution commands that fail, with their position', async () => {
    const file = edited((t) => t.replace('  - .bugcheck\n', '  - u nowhere!nothing\n  - .bugcheck\n'));
    const report = await checkLesson(file);
    expect(report.ok).toBe(true);
    expect(report.lines).toContain(`${file}:185:5: note: 'u nowhere!nothing' failed in the scenario`);
  });

  it('reports check command names that are not registry names', async () => {
    const file = edited((t) => t.replace('check: {command: k, processor: 0, options: v}', 'check: {command: kv, processor: 0}'));
    const report = await checkLesson(file);
    expect(report.ok).toBe(false);
    expect(report.lines[1]).toBe(`${file}:54:22: 'kv' is served by the command named 'k': write command: k (add options: v to require 'kv')`);
  });

  it('reports a lesson that does not load with its located message', async () => {
    const file = edited((t) => t.replace('level: beginner', 'level: expert'));
    const report = await checkLesson(file);
    expect(report.ok).toBe(false);
    expect(report.lines[0]).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:6:8: `));
  });
});
