import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { defineCommand } from '../../../src/repl/command.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { out } from '../../../src/repl/output.js';
import { Registry } from '../../../src/repl/registry.js';
import { createSession } from '../../../src/session/create-session.js';
import { openTarget } from '../../../src/session/open-target.js';

const many = defineCommand({
  name: '!many',
  summary: 'test: many lines',
  usage: '!many',
  parse: () => undefined,
  run: () => Array.from({ length: 300_000 }, (_, i) => out(String(i))),
  format: (lines) => lines,
});

describe('long outputs', () => {
  it('300,000 lines pass through the dispatcher, ~N and scripts without overflowing the stack', async () => {
    const session = createSession(await openTarget('fixtures/clock-watchdog-0x101.yaml'));
    const d = new Dispatcher(new Registry([...COMMANDS, many]), session);
    const direct = await d.execute('!many', { column: 0 });
    expect(direct).toHaveLength(300_000);
    expect(direct.at(-1)!.text).toBe('299999');
    const viaTilde = await d.execute('~1 !many', { column: 0 });
    expect(viaTilde).toHaveLength(300_000);
    const inBlock = await d.execute('.block { !many }', { column: 0 });
    expect(inBlock).toHaveLength(300_000);
  });
});
