import { describe, expect, it } from 'vitest';
import { openingBanner } from '../../../src/format/banner.js';
import { runEchoed } from '../../../src/repl/transcript.js';
import { createSession } from '../../../src/session/create-session.js';
import { openTarget } from '../../../src/session/open-target.js';
import { readGolden } from '../../golden/golden-runner.js';
import { dispatcherWithNew } from './new-commands.js';

/**
 * The golden transcripts of `.thread`, `dS`, `.exepath`, `.kframes` and the IRP-following
 * `!analyze`, replayed with those commands registered (test/golden/golden.test.ts replays them
 * too, once commands/index.ts lists the new commands).
 */
const FILES = ['dot-thread.transcript', 'display-string.transcript', 'blocked-irp-analyze.transcript'];

describe('golden transcripts of the new commands', () => {
  for (const file of FILES) {
    it(file, async () => {
      const g = readGolden(`test/golden/${file}`);
      const session = createSession(await openTarget(g.target));
      openingBanner(session);
      const d = dispatcherWithNew(session);
      let text = '';
      for (const c of g.commands) text += (await runEchoed(d, c)).map((l) => `${l.text}\n`).join('');
      expect(text).toBe(g.body);
    });
  }
});
