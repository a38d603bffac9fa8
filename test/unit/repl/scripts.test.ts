import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../../src/repl/dispatcher.js';
import { PROMPT, seedDispatcher, tempDir, typed } from './seed-session.js';

let tmp: ReturnType<typeof tempDir>;
let d: Dispatcher;

beforeEach(async () => {
  tmp = tempDir();
  d = await seedDispatcher();
});
afterEach(() => tmp.cleanup());

describe('$$< and $$>< (echoing scripts)', () => {
  it('$$< echoes each command with the prompt before its output', async () => {
    const s = tmp.file('cmds.txt', 'r rip\n\n.echo hello\n~1 r rip\n');
    expect(await typed(d, `$$<${s}`)).toEqual([
      `${PROMPT}$$<${s}`,
      `${PROMPT}r rip`,
      'rip=fffff80003b1f5c0',
      `${PROMPT}.echo hello`,
      'hello',
      `${PROMPT}~1 r rip`,
      'rip=fffff80003b0a213',
    ]);
  });

  it('$$< places a caret error relative to the echoed prompt', async () => {
    const s = tmp.file('bad.txt', 'r rcs\n');
    const out = await typed(d, `$$< ${s}`);
    expect(out.slice(1)).toEqual([
      `${PROMPT}r rcs`,
      `${' '.repeat(PROMPT.length + 4)}^ Bad register error in 'r rcs'`,
      `Script error at line 1 of ${s}: Bad register error in 'r rcs'`,
    ]);
  });

  it('$$>< joins the lines and still echoes each command', async () => {
    const s = tmp.file('joined.txt', '.echo one\r\n.echo two; .echo three\r\n');
    expect(await typed(d, `$$><${s}`)).toEqual([
      `${PROMPT}$$><${s}`,
      `${PROMPT}.echo one`,
      'one',
      `${PROMPT}.echo two`,
      'two',
      `${PROMPT}.echo three`,
      'three',
    ]);
  });

  it('a q inside a script ends it', async () => {
    const s = tmp.file('quit.txt', '.echo before\nq\n.echo after\n');
    expect((await typed(d, `$$<${s}`)).slice(1)).toEqual([`${PROMPT}.echo before`, 'before', `${PROMPT}q`, 'quit:']);
    expect(d.session.quitRequested).toBe(true);
  });

  it('a missing file says so', async () => {
    const missing = `${tmp.dir}/nope.txt`;
    expect(await typed(d, `$$<${missing}`)).toEqual([`${PROMPT}$$<${missing}`, `Couldn't open script file '${missing}'`]);
  });

  // Regression: MS docs: $$< and $$>< "allow concatenation of other commands separated by semicolons";
  // only $< and $>< take the rest of the line. commands/script.ts sets takesRestOfLine: true
  // for all five spellings, so the dispatcher hands `file; .echo after` to $$< as the path.
  // Fix: drop takesRestOfLine from scriptCommand (Dispatcher.takesRestOfLine already special-
  // cases $< and $><) and drop \$\$>a< from the dispatcher's regex and DEFAULT_REST_OF_LINE.
  it('$$< file; cmd runs the script, then cmd', async () => {
    const s = tmp.file('one.txt', '.echo in script\n');
    expect(await typed(d, `$$< ${s}; .echo after`)).toEqual([`${PROMPT}$$< ${s}; .echo after`, `${PROMPT}.echo in script`, 'in script', 'after']);
  });
});

describe('$$>a< (arguments, no echo)', () => {
  it('substitutes ${$argN}, ${$argc} and ${$arg0}; a quoted argument keeps its blank', async () => {
    const s = tmp.file('args.txt', '.echo first ${$arg1}\n.echo second ${$arg2}\n.echo count ${$argc}\n.echo name ${$arg0}\n');
    expect(await typed(d, `$$>a< ${s} one "two words"`)).toEqual([
      `${PROMPT}$$>a< ${s} one "two words"`,
      'first one',
      'second two words',
      'count 2',
      `name ${s}`,
    ]);
  });

  it('leaves a missing argument literal', async () => {
    const s = tmp.file('missing.txt', '.echo The fifth argument is ${$arg5}.\n');
    expect((await typed(d, `$$>a<${s} a b`)).slice(1)).toEqual(['The fifth argument is ${$arg5}.']);
  });

  it('substitutes inside any command, not just .echo', async () => {
    const s = tmp.file('reg.txt', 'r ${$arg1}\n');
    expect((await typed(d, `$$>a< ${s} rip`)).slice(1)).toEqual(['rip=fffff80003b1f5c0']);
  });

  // Regression: MS docs: "$$>a< ... can be followed by a semicolon and additional commands; the presence
  // of a semicolon terminates the argument list". Today `; .echo after` becomes arguments 2 and 3.
  it('a ; ends the argument list and the next command runs', async () => {
    const s = tmp.file('semi.txt', '.echo [${$arg1}] [${$arg2}]\n');
    expect((await typed(d, `$$>a< ${s} one; .echo after`)).slice(1)).toEqual(['[one] [${$arg2}]', 'after']);
  });
});
