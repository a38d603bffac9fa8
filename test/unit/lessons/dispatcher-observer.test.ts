import { describe, expect, it } from 'vitest';
import type { CommandEvent } from '../../../src/repl/dispatcher.js';
import { openSession } from '../../../src/session/open-session.js';

async function watched() {
  const d = await openSession('fixtures/clock-watchdog-0x101.yaml');
  const events: CommandEvent[] = [];
  d.observers.add((e) => events.push(e));
  const run = (line: string) => d.execute(line, { column: 0 });
  return { d, events, run };
}

describe('Dispatcher observers', () => {
  it('report the registry name, the word, parsed arguments and the processor of each command', async () => {
    const { events, run } = await watched();
    await run('kvn; dps fffff880`0318a978 L2');
    expect(events.map((e) => [e.name, e.word, e.unit, e.depth, e.failed])).toEqual([
      ['k', 'kvn', 0, 0, false],
      ['d', 'dps', 0, 0, false],
    ]);
    expect(events[1]!.args).toMatchObject({ start: 0xfffff8800318a978n, count: 2 });
    expect(events[1]!.text).toBe('dps fffff880`0318a978 L2');
  });

  it('report a nested command with the processor it ran on, before the command that ran it', async () => {
    const { events, run } = await watched();
    await run('~2 kv');
    expect(events.map((e) => [e.name, e.unit, e.depth])).toEqual([
      ['k', 2, 1],
      ['~', 0, 0],
    ]);
    events.length = 0;
    await run('3r');
    expect(events.map((e) => [e.name, e.unit, e.depth])).toEqual([['r', 3, 0]]);
  });

  it('report failures (parse errors, unmet requirements) but not unknown commands', async () => {
    const { events, run } = await watched();
    await run('u xyz!nothing; nosuchcommand; .trap fffff880`06e534f0');
    expect(events.map((e) => [e.name, e.failed])).toEqual([
      ['u', true],
      ['.trap', false],
    ]);
    expect(events[0]!.args).toBeUndefined();
    expect(events[1]!.args).toBe(0xfffff88006e534f0n);
  });

  it('survive an observer that throws', async () => {
    const { d, run } = await watched();
    d.observers.add(() => {
      throw new Error('observer bug');
    });
    const lines = await run('.bugcheck');
    expect(lines.map((l) => l.text)).toEqual(['Bugcheck code 00000101', 'Arguments 00000000`00000031 00000000`00000000 fffff880`03165180 00000000`00000002']);
  });
});
