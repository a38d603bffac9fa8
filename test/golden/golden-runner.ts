import { readFileSync } from 'node:fs';
import { COMMANDS } from '../../commands/index.js';
import { Dispatcher } from '../../src/repl/dispatcher.js';
import { Registry } from '../../src/repl/registry.js';
import { runEchoed } from '../../src/repl/transcript.js';
import { createSession } from '../../src/session/create-session.js';
import { openTarget } from '../../src/session/open-target.js';
import { openingBanner } from '../../src/format/banner.js';

/** A golden transcript: header facts plus the exact session text (prompts, commands, output). */
export interface Golden {
  readonly target: string;
  readonly body: string;
  readonly commands: readonly string[];
}

const PROMPT = /^(\d+: kd> |\d+:\d{3}> )(.*)$/;

/**
 * Reads a `.transcript` file: `# target: PATH` header lines, then the session exactly as kd shows
 * it. Lines that start with a prompt are the commands to replay.
 */
export function readGolden(path: string): Golden {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  let target = '';
  let i = 0;
  for (; i < lines.length && lines[i]!.startsWith('#'); i++) {
    const m = /^# target: (.+)$/.exec(lines[i]!);
    if (m) target = m[1]!.trim();
  }
  const body = lines.slice(i).join('\n');
  const commands = lines
    .slice(i)
    .map((l) => PROMPT.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[2]!);
  return { target, body, commands };
}

/** Replays the commands of a golden transcript and returns the text crashkd produces. */
export async function replay(target: string, commands: readonly string[]): Promise<string> {
  const session = createSession(await openTarget(target));
  // Opening prints the banner first, which loads the kernel's symbols as kd does.
  openingBanner(session);
  const d = new Dispatcher(new Registry(COMMANDS), session);
  let text = '';
  for (const c of commands) {
    const lines = await runEchoed(d, c);
    text += lines.map((l) => `${l.text}\n`).join('');
  }
  return text;
}
