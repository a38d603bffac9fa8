import { describe, expect, it } from 'vitest';
import { DebuggerError } from '../../../src/errors.js';
import { evaluate, ExprError, type ExprErrorKind } from '../../../src/expr/index.js';
import { fakeEnv } from './fake-env.js';

const env = fakeEnv();

function caught(text: string): ExprError {
  try {
    evaluate(text, env);
  } catch (e) {
    if (e instanceof ExprError) return e;
    throw e;
  }
  throw new Error(`no error for ${text}`);
}

describe('error texts (inline form)', () => {
  it.each<[string, string, ExprErrorKind, number]>([
    ['xyz', "Couldn't resolve error at 'xyz'", "Couldn't resolve", 0],
    ['xyz+1', "Couldn't resolve error at 'xyz+1'", "Couldn't resolve", 0],
    ['1 + xyz + 2', "Couldn't resolve error at 'xyz + 2'", "Couldn't resolve", 4],
    ['nt!Nope', "Couldn't resolve error at 'nt!Nope'", "Couldn't resolve", 0],
    ['ntdll!1', "Couldn't resolve error at 'ntdll!1'", "Couldn't resolve", 0],
    ['!1', "Couldn't resolve error at '!1'", "Couldn't resolve", 0],
    ['1+', "Numeric expression missing from '<EOL>'", 'Numeric expression missing', 2],
    ['1*', "Numeric expression missing from '<EOL>'", 'Numeric expression missing', 2],
    ['*1', "Numeric expression missing from '*1'", 'Numeric expression missing', 0],
    ['', "Numeric expression missing from '<EOL>'", 'Numeric expression missing', 0],
    ['()', "Numeric expression missing from ')'", 'Numeric expression missing', 1],
    [
      '(@rax == 0x10 && @rbx == 0x40)',
      "Numeric expression missing from '& @rbx == 0x40)'",
      'Numeric expression missing',
      15,
    ],
    ['1 and', "Numeric expression missing from '<EOL>'", 'Numeric expression missing', 5],
    ['and 1', "Numeric expression missing from 'and 1'", 'Numeric expression missing', 0],
    ['(1+1', "Syntax error at '<EOL>'", 'Syntax', 4],
    ['(1+1 2', "Syntax error at '2'", 'Syntax', 5],
    ['`1', "Syntax error at '`1'", 'Syntax', 0],
    ['1+1)', "Syntax error at ')'", 'Syntax', 3],
    ['1 2', "Syntax error at '2'", 'Syntax', 2],
    ['#', "Syntax error at '#'", 'Syntax', 0],
    ['@@c++(1)', "Syntax error at '@@c++(1)'", 'Syntax', 0],
    ['poi 5', "Memory access error at '5'", 'Memory access', 4],
    ['poi(5)', "Memory access error at ')'", 'Memory access', 5],
    ['dwo(@$t0) == 0x100', "Memory access error at ') == 0x100'", 'Memory access', 8],
    ['by(rbx) + 1', "Memory access error at ') + 1'", 'Memory access', 6],
    ['@foo', "Bad register error at '@foo'", 'Bad register', 0],
    ['@foo+1', "Bad register error at '@foo+1'", 'Bad register', 0],
    ['1+@$t9', "Bad register error at '@$t9'", 'Bad register', 2],
    ['$nope', "Bad register error at '$nope'", 'Bad register', 0],
    ['@', "Bad register error at '@'", 'Bad register', 0],
    ['DupName', "Ambiguous symbol error at 'DupName'", 'Ambiguous symbol', 0],
    ['1/0', 'Operand error', 'Operand', 2],
    ['1 mod 0', 'Operand error', 'Operand', 6],
    ['1 % (1-1)', 'Operand error', 'Operand', 8],
  ])('%s', (text, message, kind, offset) => {
    const e = caught(text);
    expect(e.message).toBe(message);
    expect(e.kind).toBe(kind);
    expect(e.offset).toBe(offset);
    expect(e).toBeInstanceOf(DebuggerError);
  });

  it('carries DebuggerError codes', () => {
    expect(caught('xyz').code).toBe('couldnt-resolve');
    expect(caught('1/0').code).toBe('operand');
    expect(caught('poi 5').code).toBe('memory-access');
    expect(caught('@foo').code).toBe('bad-register');
    expect(caught('1+').code).toBe('numeric-missing');
    expect(caught('(1').code).toBe('syntax');
    expect(caught('DupName').code).toBe('ambiguous-symbol');
  });

  it('`.` without an instruction pointer is a bad register', () => {
    const e = fakeEnv({ pseudo: {} });
    const noIp = { ...e, pseudoRegister: () => undefined };
    expect(() => evaluate('.', noIp)).toThrow("Bad register error at '.'");
  });

  it('deep nesting fails cleanly instead of overflowing the stack', () => {
    const deep = '('.repeat(5000) + '1' + ')'.repeat(5000);
    expect(() => evaluate(deep, env)).toThrow(ExprError);
    expect(() => evaluate('-'.repeat(5000) + '1', env)).toThrow(ExprError);
  });

  it('never throws anything but ExprError on junk input', () => {
    const alphabet = ['(', ')', '+', '-', '*', '!', '@', '$', '.', '`', "'", '<', '>', '=', 'poi', 'nt', '?', ' ', '0x', '1', ':'];
    let seed = 12345;
    for (let n = 0; n < 2000; n++) {
      let s = '';
      for (let k = 0; k < 8; k++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += alphabet[seed % alphabet.length];
      }
      try {
        evaluate(s, env);
      } catch (e) {
        expect(e, s).toBeInstanceOf(ExprError);
      }
    }
  });
});
