import { describe, expect, it } from 'vitest';
import { runEchoed } from '../../../src/repl/transcript.js';
import { readGolden } from '../../golden/golden-runner.js';
import { KERNEL_COMMANDS, kernelDispatcher, output } from './helpers.js';

const GOLDEN = 'test/golden/kernel-scenario.transcript';

/**
 * The seed scenario has no kernel objects in memory: every extension command must answer with
 * one line naming what is missing. The golden file is replayed here with the five commands
 * added, so it holds before (and after) they are registered in commands/index.ts.
 */
describe('kernel commands on the seed scenario', () => {
  it('replay test/golden/kernel-scenario.transcript', async () => {
    const g = readGolden(GOLDEN);
    const d = await kernelDispatcher(g.target);
    let text = '';
    for (const c of g.commands) text += (await runEchoed(d, c)).map((l) => `${l.text}\n`).join('');
    expect(text).toBe(g.body);
  });

  it('answer every command with exactly one line and no internal error', async () => {
    const d = await kernelDispatcher('fixtures/clock-watchdog-0x101.yaml');
    for (const cmd of ['!pcr', '!pcr 1', '!pcr 3', '!prcb', '!prcb 1', '!prcb 2', '!thread', '!thread -1', '!process', '!process -1', '!process 0 0', '!process 4', '!pte 0', '!pte nt']) {
      const lines = await output(d, cmd);
      expect(lines, cmd).toHaveLength(1);
      expect(lines[0], cmd).toMatch(/^crashkd: /);
      expect(lines[0], cmd).not.toMatch(/internal error/);
    }
  });

  it('declare the kernel-target requirement, so the dispatcher refuses them on user dumps', () => {
    for (const c of KERNEL_COMMANDS) expect(c.requires, c.name).toEqual(['kernel-target']);
    expect(KERNEL_COMMANDS.map((c) => c.name)).toEqual(['!pcr', '!prcb', '!thread', '!process', '!pte']);
  });
});
