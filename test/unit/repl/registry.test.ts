import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { defineCommand, type CommandSpec } from '../../../src/repl/command.js';
import { Registry } from '../../../src/repl/registry.js';

function spec(name: string, extra: Partial<CommandSpec> = {}): CommandSpec {
  return defineCommand({ name, summary: name, usage: name, parse: () => undefined, run: () => undefined, format: () => [], ...extra }) as CommandSpec;
}

const registry = new Registry(COMMANDS);
const nameOf = (word: string) => registry.find(word)?.name;

describe('Registry over the real command table', () => {
  it('builds without duplicate names and serves every name and alias', () => {
    for (const c of COMMANDS) {
      for (const n of [c.name, ...(c.aliases ?? [])]) expect(registry.find(n), n).toBe(c);
    }
  });

  it('looks exact names up case-insensitively', () => {
    expect(nameOf('R')).toBe('r');
    expect(nameOf('.TRAP')).toBe('.trap');
    expect(nameOf('!IRQL')).toBe('!irql');
  });

  it('matches the k family by option letters: k, kv, kb, kvn, kbn, kn, kc, kf, kL', () => {
    for (const w of ['k', 'kv', 'kb', 'kvn', 'kbn', 'kn', 'kc', 'kcn', 'kf', 'kL', 'kp', 'kP']) expect(nameOf(w), w).toBe('k');
  });

  it('does not give kd (display words and symbols) or other k-words to the stack command', () => {
    for (const w of ['kd', 'kx', 'kvd', 'ka']) expect(nameOf(w), w).toBeUndefined();
  });

  it('serves the irregular spellings of lm and d*', () => {
    expect(nameOf('lmvm')).toBe('lm');
    expect(nameOf('lmn')).toBe('lm');
    expect(nameOf('dqs')).toBe('d');
    expect(nameOf('dps')).toBe('d');
  });

  it('finds nothing for unknown or empty words', () => {
    expect(registry.find('nosuchcommand')).toBeUndefined();
    expect(registry.find('')).toBeUndefined();
    expect(registry.find('.querypackages')).toBeUndefined();
  });
});

describe('Registry construction', () => {
  it('rejects two commands with the same name', () => {
    expect(() => new Registry([spec('foo'), spec('foo')])).toThrow("duplicate command name 'foo'");
  });

  it('rejects names that differ only in case', () => {
    expect(() => new Registry([spec('foo'), spec('FOO')])).toThrow("duplicate command name 'FOO'");
  });

  it('rejects an alias that repeats another command name or alias', () => {
    expect(() => new Registry([spec('foo'), spec('bar', { aliases: ['foo'] })])).toThrow("duplicate command name 'foo'");
    expect(() => new Registry([spec('a', { aliases: ['x'] }), spec('b', { aliases: ['x'] })])).toThrow("duplicate command name 'x'");
  });

  it('rejects a command that adds a name the real table already has', () => {
    expect(() => new Registry([...COMMANDS, spec('k')])).toThrow("duplicate command name 'k'");
  });

  it('prefers an exact name over another command\'s matches()', () => {
    const exact = spec('kx');
    const family = spec('k', { matches: (w) => w.startsWith('k') });
    const r = new Registry([family, exact]);
    expect(r.find('kx')).toBe(exact);
    expect(r.find('kz')).toBe(family);
  });

  it('asks matches() in table order and takes the first that claims the word', () => {
    const first = spec('one', { matches: (w) => w.startsWith('z') });
    const second = spec('two', { matches: (w) => w.startsWith('z') });
    expect(new Registry([first, second]).find('zz')).toBe(first);
  });
});
