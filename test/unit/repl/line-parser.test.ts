import { describe, expect, it } from 'vitest';
import { commandWord, splitCommands } from '../../../src/repl/line-parser.js';

const texts = (line: string) => splitCommands(line).map((c) => c.text);

describe('splitCommands', () => {
  it('separates commands at ; and records each offset in the line', () => {
    expect(splitCommands('r; kv;lm')).toEqual([
      { text: 'r', offset: 0 },
      { text: 'kv', offset: 3 },
      { text: 'lm', offset: 6 },
    ]);
  });

  it('skips blanks and empty commands, and trims trailing blanks', () => {
    expect(splitCommands('  r rip  ;;  ; kv  ')).toEqual([
      { text: 'r rip', offset: 2 },
      { text: 'kv', offset: 15 },
    ]);
    expect(splitCommands('')).toEqual([]);
    expect(splitCommands(' ; ;')).toEqual([]);
  });

  it('keeps ; inside double quotes, including after an escaped quote', () => {
    expect(splitCommands('.echo "a;b"; r')).toEqual([
      { text: '.echo "a;b"', offset: 0 },
      { text: 'r', offset: 13 },
    ]);
    expect(texts('.echo "say \\"x;y\\" now"; r')).toEqual(['.echo "say \\"x;y\\" now"', 'r']);
  });

  it('keeps ; inside { } blocks, nested ones too', () => {
    expect(texts('.block { r; kv }; q')).toEqual(['.block { r; kv }', 'q']);
    expect(texts('.if (1) { .if (2) { r; k }; kv }; lm')).toEqual(['.if (1) { .if (2) { r; k }; kv }', 'lm']);
  });

  it('does not count braces inside quotes and ignores an unmatched }', () => {
    expect(texts('.echo "{"; r')).toEqual(['.echo "{"', 'r']);
    expect(texts('.echo }; r')).toEqual(['.echo }', 'r']);
  });

  it('drops a $$ comment up to the next ; and runs what follows', () => {
    expect(splitCommands('$$ comment ; r')).toEqual([{ text: 'r', offset: 13 }]);
    expect(splitCommands('r; $$ note; kv')).toEqual([
      { text: 'r', offset: 0 },
      { text: 'kv', offset: 12 },
    ]);
    expect(splitCommands('$$ only a comment')).toEqual([]);
  });

  it('drops a * comment to the end of the line, ; included', () => {
    expect(splitCommands('* comment ; r')).toEqual([]);
    expect(texts('r; * comment; kv')).toEqual(['r']);
  });

  it('gives as and $< the rest of the line, but stops aS at ;', () => {
    expect(splitCommands('as foo r; kv')).toEqual([{ text: 'as foo r; kv', offset: 0 }]);
    expect(texts('r; as x y;z')).toEqual(['r', 'as x y;z']);
    expect(texts('aS foo bar; r')).toEqual(['aS foo bar', 'r']);
    expect(texts('$<c:\\dir;1\\cmds.txt')).toEqual(['$<c:\\dir;1\\cmds.txt']);
    expect(texts('$><c:\\a;b.txt')).toEqual(['$><c:\\a;b.txt']);
  });

  it('lets $$< and $$>< be followed by other commands', () => {
    expect(texts('$$<c:\\cmds.txt; r')).toEqual(['$$<c:\\cmds.txt', 'r']);
    expect(texts('$$><c:\\cmds.txt; r')).toEqual(['$$><c:\\cmds.txt', 'r']);
  });

  // Regression: MS docs ($<, $><, $$<, $$><, $$>a<): "$$>a< ... can be followed by a semicolon and
  // additional commands; the semicolon terminates the argument list". DEFAULT_REST_OF_LINE in
  // src/repl/line-parser.ts lists $$>a< as a rest-of-line command.
  it('ends $$>a< arguments at ;', () => {
    expect(texts('$$>a<c:\\s.txt one two; r')).toEqual(['$$>a<c:\\s.txt one two', 'r']);
  });

  it('uses the given predicate to decide which commands take the rest of the line', () => {
    const echoTakesAll = (t: string) => t.startsWith('.echo');
    expect(texts('r; .echo a;b')).toEqual(['r', '.echo a', 'b']);
    expect(splitCommands('r; .echo a;b', echoTakesAll)).toEqual([
      { text: 'r', offset: 0 },
      { text: '.echo a;b', offset: 3 },
    ]);
  });
});

describe('commandWord', () => {
  it.each([
    ['kv', 'kv'],
    ['kvn 5', 'kvn'],
    ['r rsp+28', 'r'],
    ['r@rax', 'r'],
    ['.trap fffff880`06e534f0', '.trap'],
    ['.f+', '.f+'],
    ['.f-', '.f-'],
    ['!irql 1', '!irql'],
    ['!ext.help', '!ext.help'],
    ['? 1+2', '?'],
    ['?? sizeof(int)', '??'],
    ['$$<c:\\s.txt', '$$<'],
    ['$$><c:\\s.txt', '$$><'],
    ['$$>a<c:\\s.txt 1', '$$>a<'],
    ['$<c:\\s.txt', '$<'],
    ['$><c:\\s.txt', '$><'],
    ['~1s', '~'],
    ['~* kv', '~'],
    ['lmvm nt', 'lmvm'],
    ['dps@rsp', 'dps'],
    ['(0x88-0x70)', ''],
    ['2r', ''],
  ])('%s -> %s', (text, word) => {
    expect(commandWord(text)).toBe(word);
  });
});
