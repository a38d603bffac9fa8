import { afterEach, describe, expect, it, vi } from 'vitest';
import { stripVTControlCharacters as strip } from 'node:util';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { History } from '../../src/ui/history.js';
import { COMMANDS } from '../../commands/index.js';
import { Dispatcher } from '../../src/repl/dispatcher.js';
import { Registry } from '../../src/repl/registry.js';
import { createSession } from '../../src/session/create-session.js';
import { openTarget } from '../../src/session/open-target.js';
import { readGolden } from '../golden/golden-runner.js';

const settle = (ms = 10) => new Promise((r) => setTimeout(r, ms));

afterEach(() => cleanup());

/** Text without any whitespace: ink wraps the 150-column kv rows at 100 columns. */
const squash = (s: string) => s.replace(/\s+/g, '');

describe('the seed walkthrough through the ink REPL', () => {
  it('shows every block of the golden transcript and follows ~Ns in the prompt', async () => {
    const golden = readGolden('test/golden/seed-walkthrough.transcript');
    const session = createSession(await openTarget(golden.target));
    const dispatcher = new Dispatcher(new Registry(COMMANDS), session);
    const r = render(<App dispatcher={dispatcher} banner={[]} history={new History()} onExit={vi.fn()} colors={false} />);
    const frame = () => strip(r.lastFrame() ?? '');
    await settle(30);
    const prompts: string[] = [];
    for (const cmd of golden.commands) {
      const before = r.frames.length;
      r.stdin.write(`${cmd}\r`);
      await vi.waitFor(() => expect(r.frames.length).toBeGreaterThan(before), { timeout: 5000 });
      await vi.waitFor(() => expect(frame().split('\n').at(-1)).toMatch(/^\d: kd>$/), { timeout: 5000 });
      await settle(20);
      prompts.push(frame().split('\n').at(-1)!);
    }
    expect(prompts).toContain('1: kd>');
    expect(prompts).toContain('2: kd>');
    expect(prompts.at(-1)).toBe('3: kd>');
    expect(squash(frame())).toContain(squash(golden.body));
  }, 60000);
});
