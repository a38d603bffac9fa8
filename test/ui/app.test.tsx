import { afterEach, describe, expect, it, vi } from 'vitest';
import { stripVTControlCharacters as strip } from 'node:util';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { History } from '../../src/ui/history.js';
import { out, warn } from '../../src/repl/output.js';
import { fakeDispatcher, manyCommand, slowCommand } from './fake-session.js';

const settle = (ms = 10) => new Promise((r) => setTimeout(r, ms));
const UP = '\u001b[A';
const DOWN = '\u001b[B';

afterEach(() => {
  cleanup();
  vi.unstubAllEnvs();
});

function start(options: { extra?: Parameters<typeof fakeDispatcher>[0]; history?: History; initialCommands?: string[] } = {}) {
  const dispatcher = fakeDispatcher(options.extra);
  const onExit = vi.fn();
  const r = render(
    <App
      dispatcher={dispatcher}
      banner={[out('Microsoft (R) Windows Debugger (crashkd test)'), warn('WARNING: fake dump')]}
      history={options.history ?? new History()}
      initialCommands={options.initialCommands}
      onExit={onExit}
      colors={false}
    />,
  );
  const frame = () => strip(r.lastFrame() ?? '');
  /**
   * Writes chunks one at a time. After each, waits for the re-render it causes (if any) and a
   * little more: ink-text-input re-subscribes its key handler in a passive effect, and a key
   * that arrives before that is applied to the stale value (a busy machine shows this).
   */
  const type = async (...chunks: string[]) => {
    for (const c of chunks) {
      const before = r.frames.length;
      r.stdin.write(c);
      for (let waited = 0; r.frames.length === before && waited < 150; waited += 3) await settle(3);
      await settle(15);
    }
  };
  return { ...r, dispatcher, onExit, frame, type };
}

describe('App', () => {
  it('shows the banner and the prompt', async () => {
    const { frame } = start();
    await settle();
    expect(frame()).toContain('Microsoft (R) Windows Debugger (crashkd test)');
    expect(frame()).toContain('WARNING: fake dump');
    expect(frame().split('\n').at(-1)).toBe('0: kd>');
  });

  it('runs `? 1+1` typed key by key and echoes it with the prompt', async () => {
    const { frame, type } = start();
    await settle();
    await type('?', ' ', '1', '+', '1', '\r');
    await vi.waitFor(() => expect(frame()).toContain('Evaluate expression: 2 = 00000000`00000002'));
    const lines = frame().split('\n');
    expect(lines).toContain('0: kd> ? 1+1');
    expect(lines.indexOf('0: kd> ? 1+1')).toBeLessThan(lines.indexOf('Evaluate expression: 2 = 00000000`00000002'));
    expect(lines.at(-1)).toBe('0: kd>');
  });

  it('submits a chunk that ends in a carriage return ("r\\r" as one write)', async () => {
    const { frame, type } = start();
    await settle();
    await type('r\r');
    await vi.waitFor(() => expect(frame()).toMatch(/^rax=0000000000000000 /m));
    expect(frame()).toMatch(/^0: kd> r$/m);
    expect(frame()).toContain('rip=fffff80003aab937');
  });

  it('runs a pasted multi-line chunk line by line, in order', async () => {
    const { frame, type } = start();
    await settle();
    await type('? 1\r? 2\n? 3\r\n? 4');
    await vi.waitFor(() => expect(frame()).toContain('Evaluate expression: 3 = '));
    const lines = frame().split('\n');
    const at = (s: string) => lines.findIndex((l) => l.startsWith(s));
    expect(at('0: kd> ? 1')).toBeLessThan(at('Evaluate expression: 1 ='));
    expect(at('Evaluate expression: 1 =')).toBeLessThan(at('0: kd> ? 2'));
    expect(at('0: kd> ? 2')).toBeLessThan(at('Evaluate expression: 2 ='));
    expect(at('Evaluate expression: 2 =')).toBeLessThan(at('0: kd> ? 3'));
    // The unterminated tail stays in the editor.
    await vi.waitFor(() => expect(frame().split('\n').at(-1)).toBe('0: kd> ? 4'));
    expect(frame()).not.toContain('Evaluate expression: 4');
  });

  it('keeps blank output lines', async () => {
    const { frame, type } = start();
    await settle();
    await type('.echo a;.echo;.echo b\r');
    await vi.waitFor(() => expect(frame()).toMatch(/^a\n\nb\n0: kd>$/m));
  });

  it('`~1s` changes the prompt to 1: kd>', async () => {
    const { frame, type } = start();
    await settle();
    await type('~1s\r');
    await vi.waitFor(() => expect(frame().split('\n').at(-1)).toBe('1: kd>'));
    expect(frame()).toMatch(/^0: kd> ~1s$/m);
    await type('r rax\r');
    await vi.waitFor(() => expect(frame()).toMatch(/^1: kd> r rax$/m));
    await vi.waitFor(() => expect(frame()).toMatch(/^rax=0000000000000001$/m));
  });

  it('recalls history with Up and Down, keeping the draft', async () => {
    const history = new History();
    history.add('? 5');
    const { frame, type } = start({ history });
    await settle();
    await type('? 6\r');
    await vi.waitFor(() => expect(frame()).toContain('Evaluate expression: 6 ='));
    await type('dr', 'af', 't');
    await type(UP);
    expect(frame().split('\n').at(-1)).toBe('0: kd> ? 6');
    await type(UP);
    expect(frame().split('\n').at(-1)).toBe('0: kd> ? 5');
    await type(UP); // nothing older: stays
    expect(frame().split('\n').at(-1)).toBe('0: kd> ? 5');
    await type(DOWN);
    expect(frame().split('\n').at(-1)).toBe('0: kd> ? 6');
    await type(DOWN);
    expect(frame().split('\n').at(-1)).toBe('0: kd> draft');
    await type(UP, UP, '0', '\r');
    await vi.waitFor(() => expect(frame()).toContain('Evaluate expression: 80 = '));
    expect(history.entries).toEqual(['? 5', '? 6', '? 50']);
  });

  it('Ctrl+C at the prompt clears the line', async () => {
    const { frame, type } = start();
    await settle();
    await type('? 12');
    expect(frame().split('\n').at(-1)).toBe('0: kd> ? 12');
    await type('\u0003');
    expect(frame().split('\n').at(-1)).toBe('0: kd>');
    await type('? 7\r');
    await vi.waitFor(() => expect(frame()).toContain('Evaluate expression: 7 ='));
  });

  it('Ctrl+C stops a long command; output shown stays and the prompt comes back', async () => {
    const seen = { count: 0, stopped: false };
    const { frame, type } = start({ extra: [slowCommand(seen)] });
    await settle();
    await type('slow 100000\r');
    await vi.waitFor(() => expect(seen.count).toBeGreaterThan(5));
    expect(frame().split('\n').at(-1)).not.toBe('0: kd>');
    await type('\u0003');
    await vi.waitFor(() => expect(frame().split('\n').at(-1)).toBe('0: kd>'));
    expect(seen.stopped).toBe(true);
    expect(seen.count).toBeLessThan(100000);
    expect(frame()).toMatch(/^\^C$/m);
    // The session goes on.
    await type('? 3\r');
    await vi.waitFor(() => expect(frame()).toContain('Evaluate expression: 3 ='));
  });

  it('Ctrl+C while a big output is being printed drops the rest', async () => {
    const { frame, type } = start({ extra: [manyCommand] });
    await settle();
    await type('many 50000\r');
    await vi.waitFor(() => expect(frame()).toContain('many line 0'));
    await type('\u0003');
    await vi.waitFor(() => expect(frame().split('\n').at(-1)).toBe('0: kd>'));
    expect(frame()).not.toContain('many line 49999');
    expect(frame()).toMatch(/^\^C$/m);
  });

  it('prints a large output completely when not interrupted', async () => {
    const { frame, type } = start({ extra: [manyCommand] });
    await settle();
    await type('many 3000\r');
    await vi.waitFor(() => expect(frame().split('\n').at(-1)).toBe('0: kd>'));
    const lines = frame().split('\n');
    expect(lines.filter((l) => l.startsWith('many line ')).length).toBe(3000);
    expect(lines.indexOf('many line 2999')).toBe(lines.indexOf('many line 0') + 2999);
  });

  it('`q` prints quit: and calls onExit', async () => {
    const { frame, type, onExit } = start();
    await settle();
    await type('q\r');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledTimes(1));
    expect(frame()).toMatch(/^0: kd> q$/m);
    expect(frame()).toMatch(/^quit:$/m);
    expect(frame()).not.toMatch(/kd>$/);
  });

  it('lines queued after `q` do not run', async () => {
    const { frame, type, onExit } = start();
    await settle();
    await type('q\r? 9\r');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledTimes(1));
    expect(frame()).not.toContain('Evaluate expression: 9');
  });

  it('Ctrl+D on an empty line exits; on a non-empty line it inserts nothing', async () => {
    const { frame, type, onExit } = start();
    await settle();
    await type('? 1', '\u0004');
    expect(frame().split('\n').at(-1)).toBe('0: kd> ? 1');
    expect(onExit).not.toHaveBeenCalled();
    await type('\u0003', '\u0004');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledTimes(1));
  });

  it('other control keys insert no letters', async () => {
    const { frame, type } = start();
    await settle();
    await type('?', '\u0001', '\u0005', ' 4', '\r');
    await vi.waitFor(() => expect(frame()).toContain('Evaluate expression: 4 ='));
    expect(frame()).toMatch(/^0: kd> \? 4$/m);
    await type('? 99', '\u0015');
    expect(frame().split('\n').at(-1)).toBe('0: kd>');
  });

  it('drops control characters inside a pasted chunk', async () => {
    const { frame, type } = start();
    await settle();
    await type('.echo a\u0001\tb\r');
    await vi.waitFor(() => expect(frame()).toMatch(/^a b$/m));
  });

  it('runs initial commands first, echoed like typed ones', async () => {
    const { frame } = start({ initialCommands: ['~1s', '? 2'] });
    await vi.waitFor(() => expect(frame()).toContain('Evaluate expression: 2 ='));
    expect(frame()).toMatch(/^0: kd> ~1s$/m);
    expect(frame()).toMatch(/^1: kd> \? 2$/m);
    await vi.waitFor(() => expect(frame().split('\n').at(-1)).toBe('1: kd>'));
  });
});
