import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_STEPS, getMaxSteps, setMaxSteps } from '../../../src/script/state.js';
import { output, seedDispatcher, transcript } from './helpers.js';

afterEach(() => setMaxSteps(DEFAULT_MAX_STEPS));

describe('control flow', () => {
  it('runs a .for loop over $t0 (-for.md)', async () => {
    const d = await seedDispatcher();
    expect(await output(d, '.for (r $t0 = 0; @$t0 < 3; r $t0 = @$t0 + 1) { .printf "t0=%d\\n", @$t0 }')).toEqual(['t0=0', 't0=1', 't0=2']);
    expect(await output(d, '? @$t0')).toEqual(['Evaluate expression: 3 = 00000000`00000003']);
  });

  it('runs .while with .break and .continue, and .do at least once', async () => {
    const d = await seedDispatcher();
    const loop = 'r $t0 = 0; .while (1) { r $t0 = @$t0 + 1; .if (@$t0 == 2) { .continue }; .if (@$t0 > 4) { .break }; .printf "%d ", @$t0 }; .printf "\\n"';
    expect(await output(d, loop)).toEqual(['1 3 4 ']);
    expect(await output(d, 'r $t1 = 9; .do { .echo once } (@$t1 < 5)')).toEqual(['once']);
  });

  it('chooses .if / .elsif / .else branches on poi()', async () => {
    const d = await seedDispatcher();
    // poi(@rsp) on processor 0 is the return address into nt (fffff800`03b2da4a).
    const line = (v: string) => `.if (poi(@rsp) == ${v}) { .echo first } .elsif (poi(@rsp) > 0) { .echo second } .else { .echo third }`;
    expect(await output(d, line('fffff800`03b2da4a'))).toEqual(['first']);
    expect(await output(d, line('1'))).toEqual(['second']);
    expect(await output(d, '.if (by(@rsp) == 4a) { .echo low byte } .else { .echo no }')).toEqual(['low byte']);
  });

  it('splits .foreach input on blanks and honours /pS and /ps (-foreach.md)', async () => {
    const d = await seedDispatcher();
    expect(await output(d, '.foreach /s (w "a  b\tc d e f") { .printf "[%ma]", 0 }')).toEqual(['Memory access error']);
    expect(await output(d, '.foreach /pS 1 /ps 2 /s (w "a b c d e f") { .echo w }')).toEqual(['b', 'e']);
    // dps lines are `address  value [symbol]`; a symbol with blanks is several tokens, as in WinDbg.
    const tokens = await output(d, '.foreach /pS 1 /ps 1 (v { dps @rsp L3 }) { .echo v }');
    expect(tokens).toEqual(['fffff800`03b2da4a', '??', 'fffff880`06e53330', 'fffff880`06e53338']);
  });

  it('runs the lm1m example style: ${var} next to parentheses', async () => {
    const d = await seedDispatcher();
    const out = await output(d, '.foreach (a { .echo fffff800`03a14000 fffff880`01765000 }) { .if ((${a} >= fffff800`00000000) & (${a} < fffff880`00000000)) { .echo a } }');
    expect(out).toEqual(['fffff800`03a14000']);
  });

  it('.catch shows the error, skips the rest of its block and goes on; .leave exits it', async () => {
    const d = await seedDispatcher();
    expect(await transcript(d, '.catch { .echo a; xyz; .echo b }; .echo after')).toBe(
      "0: kd> .catch { .echo a; xyz; .echo b }; .echo after\na\n                         ^ Syntax error in 'xyz'\nafter\n",
    );
    expect(await output(d, '.catch { .echo in; .if (1) .leave; .echo no }; .echo out')).toEqual(['in', 'out']);
  });

  it('an error inside a block ends the whole line; at the top level the line goes on', async () => {
    const d = await seedDispatcher();
    expect(await output(d, '.if (1) { ? nosuchsym }; .echo not reached')).toEqual(["Couldn't resolve error at 'nosuchsym'"]);
    expect(await output(d, '? nosuchsym; .echo reached')).toEqual(["Couldn't resolve error at 'nosuchsym'", 'reached']);
    expect(await output(d, '.if (nosuchsym) { .echo x }; .echo no')).toEqual(["Couldn't resolve error at 'nosuchsym)'"]);
  });

  it('reports .break outside a loop and malformed constructs as syntax errors', async () => {
    const d = await seedDispatcher();
    expect(await transcript(d, '.break')).toBe("0: kd> .break\n            ^ Syntax error in '.break'\n");
    expect(await transcript(d, '.if (1) { .echo a')).toBe("0: kd> .if (1) { .echo a\n               ^ Syntax error in '.if (1) { .echo a'\n");
  });

  it('stops at `q` inside a loop', async () => {
    const d = await seedDispatcher();
    expect(await output(d, '.while (1) { .echo once; q }')).toEqual(['once', 'quit:']);
    expect(d.session.quitRequested).toBe(true);
  });
});

describe('aliases', () => {
  it('sees a new alias value only in a new block (as--as--set-alias-.md)', async () => {
    const d = await seedDispatcher();
    expect(await output(d, 'aS /x myAlias 5 + 1; .block{.echo myAlias}')).toEqual(['0x6']);
    const d2 = await seedDispatcher();
    expect(await output(d2, 'aS /x myAlias 5 + 1; .echo myAlias')).toEqual(['myAlias']);
    expect(await output(d2, '.echo myAlias')).toEqual(['0x6']);
  });

  it('replays the using-aliases.md .foreach example with and without the leading ;', async () => {
    const d = await seedDispatcher();
    const seq = ['r $t0 = 5', 'ad /q myAlias', '.foreach /pS 2 /ps 2 (Token {?@$t0}) {as myAlias Token}', 'al'];
    expect(await transcript(d, ...seq)).toContain(' myAlias          Token\n');
    const fixed = [...seq];
    fixed[2] = '.foreach /pS 2 /ps 2 (Token {?@$t0}) {;as myAlias Token}';
    expect(await transcript(d, ...fixed)).toContain('  Alias            Value\n -------          -------\n myAlias          5\n');
  });

  it('replays the Script01/Script02 example: .block makes the new value visible', async () => {
    const script02 = '.foreach (value {.echo 00610000 00905a4d 00000003}) \n{\n   as /x ${/v:myAlias} value + 1\n   .echo value myAlias\n}\n\nad myAlias\n';
    const script01 = script02.replace('   .echo value myAlias', '   .block{.echo value myAlias}');
    const d = await seedDispatcher({ 's2.txt': script02, 's1.txt': script01 });
    expect(await output(d, '$$>a< s2.txt')).toEqual(['00610000 myAlias', '00905a4d 0x610001', '00000003 0x905a4e']);
    expect(await output(d, '$$>a< s1.txt')).toEqual(['00610000 0x610001', '00905a4d 0x905a4e', '00000003 0x4']);
  });

  it('fixed-name aliases $u0-$u9 are replaced as soon as used (using-aliases.md)', async () => {
    const d = await seedDispatcher();
    expect(await transcript(d, 'r $.u2=2', 'r $.u1=1+$u2', 'r $.u2=6', '? $u1')).toContain('Evaluate expression: 3 = ');
    expect(await transcript(d, 'as fred 2', 'r $.u1= 1 + fred', 'as fred 6', '? $u1')).toContain('Evaluate expression: 3 = ');
    expect(await transcript(d, 'r $.u0=2', 'r $.u0=7+$u0', '? $u0')).toContain('Evaluate expression: 9 = ');
  });

  it('as takes the rest of the line and works as a macro', async () => {
    const d = await seedDispatcher();
    await output(d, 'as GoUp r $t5=@$t5+1; r $t6=@$t6+2');
    await output(d, 'GoUp');
    await output(d, 'GoUp');
    expect(await output(d, 'r $t5, $t6')).toEqual(['$t5=0000000000000002 $t6=0000000000000004']);
    expect(await output(d, 'aS quoted "a;b"; .echo ${quoted}')).toEqual(['${quoted}']);
    // Replacement happens before parsing, so the `;` of the value separates commands.
    expect(await output(d, '.echo ${quoted}')).toEqual(['a', "       ^ Syntax error in 'b'"]);
  });

  it('captures command output with aS /c and reads memory, environment and files', async () => {
    process.env['CRASHKD_TEST_ALIAS'] = 'from-env';
    const d = await seedDispatcher({ 'name.txt': 'file text' });
    await output(d, 'aS /c Cap ? 1+1');
    expect(await output(d, '.echo [${Cap}]')).toEqual(['[Evaluate expression: 2 = 00000000`00000002', ']']);
    await output(d, 'aS /ma Mz nt');
    await output(d, 'aS /e Env CRASHKD_TEST_ALIAS');
    await output(d, 'aS /f File name.txt');
    expect(await output(d, '.echo ${Mz} ${Env} ${File}')).toEqual(['MZ from-env file text']);
    expect(await output(d, 'aS /f Bad nosuch.txt')).toEqual(['Out of memory']);
  });

  it('ad deletes one, * deletes all, /q is quiet; al lists them sorted', async () => {
    const d = await seedDispatcher();
    expect(await output(d, 'al')).toEqual(['No aliases']);
    expect(await output(d, 'ad nope')).toEqual(["No alias named 'nope'"]);
    expect(await output(d, 'ad /q nope')).toEqual([]);
    await output(d, 'aS zeta 1');
    await output(d, 'aS Alpha two words');
    expect(await output(d, 'al')).toEqual(['  Alias            Value', ' -------          -------', ' Alpha            two words', ' zeta             1']);
    await output(d, 'ad ${/v:zeta}');
    expect(await output(d, 'al')).toHaveLength(3);
    await output(d, 'ad *');
    expect(await output(d, 'al')).toEqual(['No aliases']);
  });

  it('knows the automatic aliases of the target', async () => {
    const d = await seedDispatcher();
    expect(await output(d, '.echo $ntsym ${$CurrentDumpFile} ${$TargetCpu} ${/d:$ntsym}')).toEqual([
      'nt fixtures/clock-watchdog-0x101.yaml x64 1',
    ]);
  });
});

describe('scripts', () => {
  const triage = [
    '$$ triage.txt: prints its arguments, then fails on line 9',
    '.printf "argc=%d first=${$arg1} missing=${$arg5} given=${/d:$arg2}\\n", ${$argc}',
    '.for (r $t0 = 0;',
    '      @$t0 < ${$arg1};',
    '      r $t0 = @$t0 + 1)',
    '{',
    '    .printf "%d ", @$t0',
    '}',
    '? nosuchsym',
    '.echo not reached',
  ].join('\n');

  it('passes $$>a< arguments and reports a failing line by number, then the session goes on', async () => {
    const d = await seedDispatcher({ 'triage.txt': triage });
    expect(await transcript(d, '$$>a< triage.txt 3 two; .echo after')).toBe(
      [
        '0: kd> $$>a< triage.txt 3 two; .echo after',
        'argc=2 first=3 missing=${$arg5} given=1',
        '0 1 2 ',
        "Couldn't resolve error at 'nosuchsym'",
        "Script error at line 9 of triage.txt: Couldn't resolve error at 'nosuchsym'",
        'after',
        '',
      ].join('\n'),
    );
  });

  it('echoes each command for $$< and $$><, and stops a line-by-line script at its first error', async () => {
    const d = await seedDispatcher({ 'lines.txt': '.echo one\n\nr $t0 = 1+\n.echo two\n', 'block.txt': '.if (1)\n{\n  .echo yes\n}\n' });
    expect(await transcript(d, '$$< lines.txt')).toBe(
      [
        '0: kd> $$< lines.txt',
        '0: kd> .echo one',
        'one',
        '0: kd> r $t0 = 1+',
        "Numeric expression missing from '<EOL>'",
        "Script error at line 3 of lines.txt: Numeric expression missing from '<EOL>'",
        '',
      ].join('\n'),
    );
    expect(await transcript(d, '$$>< block.txt')).toBe('0: kd> $$>< block.txt\n0: kd> .if (1);{;.echo yes;}\nyes\n');
  });

  it('runs nested scripts and names both files when the inner one fails', async () => {
    const d = await seedDispatcher({ 'outer.txt': '.echo outer\n$$>a< inner.txt\n.echo not reached', 'inner.txt': '.echo inner\nbogus' });
    expect(await output(d, '$$>a< outer.txt')).toEqual([
      'outer',
      'inner',
      "^ Syntax error in 'bogus'",
      "Script error at line 2 of inner.txt: Syntax error in 'bogus'",
      "Script error at line 2 of outer.txt: Script error at line 2 of inner.txt: Syntax error in 'bogus'",
    ]);
  });

  it('stops a recursive script at the nesting bound', async () => {
    const d = await seedDispatcher({ 'self.txt': '$$>a< self.txt' });
    // A limit stops the whole command line once; the next line runs normally.
    expect(await output(d, '$$>a< self.txt; .echo after')).toEqual(['Scripts nested more than 32 deep; stopping']);
    expect(await output(d, '.echo next')).toEqual(['next']);
  });

  it('reads .foreach /f files through the session host', async () => {
    const d = await seedDispatcher({ 'addrs.txt': 'fffff880`06e53328\r\n  fffff880`06e53330\n' });
    expect(await output(d, '.foreach /f (place "addrs.txt") { dq place L1 }')).toEqual([
      'fffff880`06e53328  fffff800`03b2da4a',
      'fffff880`06e53330  00000000`00000101',
    ]);
    expect(await output(d, '.foreach /f (place "none.txt") { dq place L1 }')).toEqual(["Couldn't open file 'none.txt'"]);
  });
});

describe('limits', () => {
  it('stops an endless loop at the step limit with one clear line', async () => {
    setMaxSteps(1000);
    expect(getMaxSteps()).toBe(1000);
    const d = await seedDispatcher({ 'spin.txt': '.while (1) { r $t0 = @$t0 + 1 }' });
    expect(await output(d, '.while (1) { r $t0 = @$t0 + 1 }; .echo after')).toEqual(['Command program stopped after 1000 steps (the --max-steps limit)']);
    // The budget is per command line: the next line runs again, and a limit inside a script stops everything once.
    expect(await output(d, '$$>a< spin.txt; .echo after')).toEqual(['Command program stopped after 1000 steps (the --max-steps limit)']);
    expect(await output(d, '.echo fine')).toEqual(['fine']);
  });

  it('stops an endless .while when the signal is aborted (Ctrl+C)', async () => {
    setMaxSteps(undefined);
    const d = await seedDispatcher();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const started = Date.now();
    await output(d, '.while (1) { r $t0 = @$t0 + 1 }', ac.signal);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(d.session.pseudoRegister('$t0')).toBeGreaterThan(0n);
  });
});

describe('.printf, .time and .echotime', () => {
  it('joins .printf pieces into one line until a \\n or other output', async () => {
    const d = await seedDispatcher();
    expect(await output(d, '.printf "a"; r $t0 = 1; .printf "b\\n"; .printf "c"; .echo d')).toEqual(['ab', 'c', 'd']);
    expect(await output(d, '.printf "tail"')).toEqual(['tail']);
  });

  it('shows the dump times and the host time', async () => {
    const d = await seedDispatcher();
    expect(await output(d, '.time')).toEqual(['Debug session time: Sat Jun 21 10:12:44.531 2014 (UTC + 1:00)', 'System Uptime: 0 days 2:44:33.219']);
    const [now] = await output(d, '.echotime');
    expect(now).toMatch(/^Debugger \(not debuggee\) time: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d\.\d{3} \d{4} \(UTC [+-] \d+:\d\d\)$/);
  });
});
