import { describe, expect, it } from 'vitest';
import { expandSymbolPath, expandedSymbolPathText, joinSymbolPaths, symfixPath } from '../../../src/symbols/symbol-defaults.js';
import { formatSymbolOptions } from '../../../src/symbols/symbol-options.js';
import { isPlainName, wildcardRegExp } from '../../../src/symbols/symbol-search.js';

describe('symbol path defaults', () => {
  it('fills the default store and Microsoft\'s server where WinDbg does', () => {
    expect(expandSymbolPath('srv*;cache*;srv**https://a.test/s;srv*/c*https://b.test;/plain', '/def')).toEqual([
      { kind: 'server', stores: ['/def'], url: 'https://msdl.microsoft.com/download/symbols' },
      { kind: 'cache', path: '/def' },
      { kind: 'server', stores: ['/def'], url: 'https://a.test/s' },
      { kind: 'server', stores: ['/c'], url: 'https://b.test' },
      { kind: 'folder', path: '/plain' },
    ]);
    // A store-only cascade stays local.
    expect(expandSymbolPath('srv*/only', '/def')).toEqual([{ kind: 'server', stores: ['/only'] }]);
    expect(expandedSymbolPathText('', '/def')).toBe('');
  });

  it('builds .symfix and .sympath+ paths', () => {
    expect(symfixPath('/c')).toBe('srv*/c*https://msdl.microsoft.com/download/symbols');
    expect(joinSymbolPaths('', ' /a ', '', '/b')).toBe('/a;/b');
  });
});

describe('.symopt formatting', () => {
  it('lists set bits in WinDbg\'s layout, including the high bit', () => {
    expect(formatSymbolOptions(0x80000041)).toEqual([
      'Symbol options are 0x80000041:',
      '  0x00000001 - SYMOPT_CASE_INSENSITIVE',
      '  0x00000040 - SYMOPT_LOAD_ANYTHING',
      '  0x80000000 - SYMOPT_DEBUG',
    ]);
  });
});

describe('x wildcards', () => {
  it('matches *, ?, sets and negated sets case-insensitively', () => {
    const m = (p: string, s: string) => wildcardRegExp(p).test(s);
    expect(m('Ke*', 'KeBugCheckEx')).toBe(true);
    expect(m('ke*ex', 'KeBugCheckEx')).toBe(true);
    expect(m('Ke?ugCheckEx', 'KeBugCheckEx')).toBe(true);
    expect(m('Ke?ugCheckEx', 'KeBBugCheckEx')).toBe(false);
    expect(m('[a-c]*', 'Buffer')).toBe(true);
    expect(m('[!a-c]*', 'Buffer')).toBe(false);
    expect(m('?? ::FNODOBFM::`string\'', "?? ::FNODOBFM::`string'")).toBe(true);
    expect(m('std::vector<int>::*', 'std::vector<int>::push_back')).toBe(true);
    expect(m('a.b', 'axb')).toBe(false);
    expect(isPlainName('KeBugCheckEx')).toBe(true);
    expect(isPlainName('Ke*')).toBe(false);
  });
});
