import { describe, expect, it } from 'vitest';
import type { Statement } from '../../../src/script/ast.js';
import { controlFlowEnd, parseSequence } from '../../../src/script/parse-program.js';
import { splitCommands } from '../../../src/repl/line-parser.js';
import { scriptRestOfLine } from '../../../src/script/rest-of-line.js';

const rest = (t: string) => scriptRestOfLine(t) === true;
const parse = (text: string): Statement[] => parseSequence(text, 0, text.length, rest);

describe('parseSequence', () => {
  it('cuts plain commands at ; and drops $$ and * comments', () => {
    const s = parse('r $t0 = 1; $$ note; .echo "a;b" ; * the rest; is comment');
    expect(s.map((x) => (x.kind === 'command' ? x.text : x.kind))).toEqual(['r $t0 = 1', '.echo "a;b"']);
    expect(s[1]!.offset).toBe(20);
  });

  it('parses .if / .elsif / .else with ; and line breaks between the parts', () => {
    const text = '.if (@$t0 == 1);{;.echo one;};.elsif (@$t0 == 2) { .echo two } ; .else;{.echo other}; .echo after';
    const [first, after] = parse(text);
    const st = first!;
    expect(st.kind).toBe('if');
    if (st.kind !== 'if') return;
    expect(st.branches.map((b) => b.cond.text)).toEqual(['(@$t0 == 1)', '(@$t0 == 2)']);
    expect(st.branches[0]!.body.body).toMatchObject([{ kind: 'command', text: '.echo one' }]);
    expect(st.otherwise?.body).toMatchObject([{ kind: 'command', text: '.echo other' }]);
    expect(after).toMatchObject({ kind: 'command', text: '.echo after' });
  });

  it('takes a condition without parentheses up to the brace', () => {
    const [st] = parse('.while @$t0 < 5 { r $t0 = @$t0 + 1 }');
    expect(st).toMatchObject({ kind: 'while', cond: { text: '@$t0 < 5', offset: 7 } });
  });

  it('parses the .for example of -for.md with two increment commands', () => {
    const st = parse('.for (r eax=0; @eax < 7; r eax=@eax+1; r ebx=@ebx+1) { .echo x }')[0]!;
    expect(st.kind).toBe('for');
    if (st.kind !== 'for') return;
    expect(st.init).toMatchObject([{ text: 'r eax=0' }]);
    expect(st.cond.text).toBe('@eax < 7');
    expect(st.step.map((s) => (s.kind === 'command' ? s.text : ''))).toEqual(['r eax=@eax+1', 'r ebx=@ebx+1']);
  });

  it('tolerates the empty pieces a joined multi-line .for produces', () => {
    const [st] = parse('.for (r $t1 = poi(@$t0);;(@$t1 != 0) & (@$t1 != @$t0);;r $t1 = poi(@$t1));{;.echo x;}');
    expect(st).toMatchObject({ kind: 'for', cond: { text: '(@$t1 != 0) & (@$t1 != @$t0)' } });
  });

  it('parses .do { } (cond) and .foreach with options and sources', () => {
    expect(parse('.do { r $t0 = 1 } (@$t0 < 3)')[0]).toMatchObject({ kind: 'do', cond: { text: '(@$t0 < 3)' } });
    const [fe] = parse('.foreach /pS 2 /ps 4 /f ( place "g:\\myfile.txt") { dds place }');
    expect(fe).toMatchObject({
      kind: 'foreach',
      variable: 'place',
      initialSkip: { text: '2' },
      skip: { text: '4' },
      source: { kind: 'file', path: { text: 'g:\\myfile.txt' } },
    });
    const [fc] = parse('.foreach (place { s-[1]w 77000000 L?4000000 5a4d }) { dc place L8 }');
    expect(fc).toMatchObject({ kind: 'foreach', source: { kind: 'commands', block: { body: [{ text: 's-[1]w 77000000 L?4000000 5a4d' }] } } });
  });

  it('marks a block that starts with an alias command as not expanded', () => {
    const a = parse('.block {as x Token}')[0]!;
    const b = parse('.block {;as x Token}')[0]!;
    expect(a.kind === 'block' && a.body.expand).toBe(false);
    expect(b.kind === 'block' && b.body.expand).toBe(true);
  });

  it('accepts `.if (x) .leave` without braces, as the .leave page writes it', () => {
    const c = parse('.catch { .if (1) .leave ; .echo no }')[0]!;
    expect(c.kind === 'catch' && c.body.body[0]).toMatchObject({ kind: 'if', branches: [{ body: { body: [{ kind: 'leave' }] } }] });
  });

  it('turns malformed constructs into invalid statements with a caret position', () => {
    expect(parse('.if (1) { .echo a')[0]).toMatchObject({ kind: 'invalid', at: 8 });
    expect(parse('.else { }')[0]).toMatchObject({ kind: 'invalid' });
    expect(parse('.for (r $t0 = 0) { }')[0]).toMatchObject({ kind: 'invalid' });
    expect(parse('.break now')[0]).toMatchObject({ kind: 'invalid', at: 7 });
  });

  it('gives `as` without a value switch the rest of the line, `aS` and `as /x` end at ;', () => {
    expect(parse('as a b; c').map((s) => s.kind === 'command' && s.text)).toEqual(['as a b; c']);
    expect(parse('aS a b; c').map((s) => s.kind === 'command' && s.text)).toEqual(['aS a b', 'c']);
    expect(parse('as /x a 1; c').map((s) => s.kind === 'command' && s.text)).toEqual(['as /x a 1', 'c']);
    expect(parse('$$>a< f.txt 1 2; r').map((s) => s.kind === 'command' && s.text)).toEqual(['$$>a< f.txt 1 2', 'r']);
    expect(parse('$< f;x.txt').map((s) => s.kind === 'command' && s.text)).toEqual(['$< f;x.txt']);
  });
});

describe('splitCommands keeps constructs whole', () => {
  it('splits around a .for whose parentheses hold ;', () => {
    expect(splitCommands('r $t0=1; .for (r $t1=0; @$t1<2; r $t1=@$t1+1) { .echo a; .echo b }; k').map((c) => c.text)).toEqual([
      'r $t0=1',
      '.for (r $t1=0; @$t1<2; r $t1=@$t1+1) { .echo a; .echo b }',
      'k',
    ]);
  });

  it('keeps .if, its .elsif and .else together', () => {
    const line = '.if (1) { r } ; .else { k }; .echo z';
    expect(controlFlowEnd(line, 0)).toBe(27);
    expect(splitCommands(line).map((c) => c.text)).toEqual(['.if (1) { r } ; .else { k }', '.echo z']);
  });
});
