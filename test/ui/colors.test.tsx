import { afterEach, describe, expect, it, vi } from 'vitest';

// chalk picks its colour level when ink is first imported; force colours on so the NO_COLOR
// test proves the UI itself turns them off (chalk alone ignores NO_COLOR).
vi.hoisted(() => {
  process.env['FORCE_COLOR'] = '1';
});

import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { History } from '../../src/ui/history.js';
import { err, out, warn } from '../../src/repl/output.js';
import { colorsAllowed } from '../../src/ui/theme.js';
import { fakeDispatcher } from './fake-session.js';

const settle = (ms = 10) => new Promise((r) => setTimeout(r, ms));
const ESC = '\u001b';

afterEach(() => {
  cleanup();
  vi.unstubAllEnvs();
});

async function session() {
  const r = render(
    <App
      dispatcher={fakeDispatcher()}
      banner={[out('plain banner'), warn('WARNING: a warning'), err('an error')]}
      history={new History()}
      onExit={() => {}}
    />,
  );
  await settle();
  r.stdin.write('? 1+1\r');
  await settle(50);
  r.stdin.write('bogus\r');
  await settle(50);
  r.stdin.write('r ri');
  await settle();
  return r;
}

describe('colours', () => {
  it('colours prompts (bold), errors (red) and warnings (yellow) by default', async () => {
    vi.stubEnv('NO_COLOR', '');
    const { lastFrame } = await session();
    const f = lastFrame() ?? '';
    expect(f).toContain(`${ESC}[33mWARNING: a warning`);
    expect(f).toContain(`${ESC}[31man error`);
    expect(f).toContain(`${ESC}[1m0: kd> ? 1+1${ESC}[22m`);
    expect(f).toContain(`${ESC}[31m       ^ Syntax error in 'bogus'`);
    expect(f).toContain('plain banner\n');
    expect(f).toContain('Evaluate expression: 2 = 00000000`00000002\n');
  });

  it('emits no escape code at all when NO_COLOR is set', async () => {
    vi.stubEnv('NO_COLOR', '1');
    const { lastFrame, frames } = await session();
    const f = lastFrame() ?? '';
    expect(f).toContain('an error');
    expect(f).toContain("^ Syntax error in 'bogus'");
    expect(f.split('\n').at(-1)).toBe('0: kd> r ri');
    for (const fr of frames) expect(fr).not.toContain(ESC);
  });

  it('reads NO_COLOR as no-color.org says', () => {
    expect(colorsAllowed({})).toBe(true);
    expect(colorsAllowed({ NO_COLOR: '' })).toBe(true);
    expect(colorsAllowed({ NO_COLOR: '1' })).toBe(false);
    expect(colorsAllowed({ NO_COLOR: 'false' })).toBe(false);
  });
});
