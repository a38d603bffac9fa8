import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openingBanner } from '../../../src/format/banner.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { runEchoed } from '../../../src/repl/transcript.js';
import { createSession } from '../../../src/session/create-session.js';
import { openTarget } from '../../../src/session/open-target.js';
import { readGolden } from '../../golden/golden-runner.js';
import { scriptRegistry } from './helpers.js';

const DIR = 'test/golden';

/**
 * Replays test/golden/script-*.transcript with the script commands registered (the shared
 * golden test sees them too once commands/index.ts lists them).
 */
describe('script golden transcripts', () => {
  for (const file of readdirSync(DIR).filter((f) => /^script-.*\.transcript$/.test(f))) {
    it(file, async () => {
      const path = join(DIR, file);
      const g = readGolden(path);
      const session = createSession(await openTarget(g.target));
      openingBanner(session);
      const d = new Dispatcher(scriptRegistry(), session);
      let actual = '';
      for (const c of g.commands) actual += (await runEchoed(d, c)).map((l) => `${l.text}\n`).join('');
      if (process.env['UPDATE_GOLDEN'] === '1' && actual !== g.body) {
        const text = (await import('node:fs')).readFileSync(path, 'utf8');
        const header = text.slice(0, text.length - g.body.length);
        writeFileSync(path, header + actual);
      }
      expect(actual).toBe(g.body);
    });
  }
});
