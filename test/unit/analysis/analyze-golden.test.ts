import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { analyzeCommand } from '../../../commands/analyze.js';
import { Dispatcher } from '../../../src/repl/dispatcher.js';
import { Registry } from '../../../src/repl/registry.js';
import { runEchoed } from '../../../src/repl/transcript.js';
import { createSession } from '../../../src/session/create-session.js';
import { openTarget } from '../../../src/session/open-target.js';
import { readGolden } from '../../golden/golden-runner.js';

const DIR = 'test/golden';

/** The commands with `!analyze` added, whether or not commands/index.ts registers it yet. */
const commands = COMMANDS.some((c) => c.name === analyzeCommand.name) ? COMMANDS : [...COMMANDS, analyzeCommand];

async function replay(target: string, lines: readonly string[]): Promise<string> {
  const d = new Dispatcher(new Registry(commands), createSession(await openTarget(target)));
  let text = '';
  for (const c of lines) text += (await runEchoed(d, c)).map((l) => `${l.text}\n`).join('');
  return text;
}

describe('!analyze golden transcripts', () => {
  const files = readdirSync(DIR).filter((f) => /^analyze-.*\.transcript$/.test(f));
  it('has the short, verbose and -show transcripts', () => {
    expect(files.sort()).toEqual(['analyze-short.transcript', 'analyze-show.transcript', 'analyze-verbose.transcript']);
  });
  for (const file of files) {
    it(file, async () => {
      const g = readGolden(join(DIR, file));
      expect(await replay(g.target, g.commands)).toBe(g.body);
    });
  }
});
