import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGolden, replay } from './golden-runner.js';

const DIR = 'test/golden';

describe('golden transcripts', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.transcript'))) {
    const g = readGolden(join(DIR, file));
    // Transcripts of real dumps need ../shared/testdata; without it they are skipped, loudly.
    const missing = !existsSync(g.target);
    if (missing) console.warn(`skipping ${file}: ${g.target} is absent`);
    it.skipIf(missing)(file, async () => {
      const path = join(DIR, file);
      const actual = await replay(g.target, g.commands);
      if (process.env['UPDATE_GOLDEN'] === '1' && actual !== g.body) {
        const header = g.body === '' ? '' : '';
        writeFileSync(path, `# target: ${g.target}\n${header}${actual}`);
      }
      expect(actual).toBe(g.body);
    });
  }
});
