import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { defaultHistoryPath, History, HistoryCursor } from '../../src/ui/history.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crashkd-history-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('History', () => {
  it('loads a file and appends each new line to it', () => {
    const file = join(dir, 'h');
    writeFileSync(file, 'kv\r\n\nlm\n');
    const h = new History(file);
    expect(h.entries).toEqual(['kv', 'lm']);
    h.add('r');
    h.add('r'); // repeat of the last line: not stored twice
    h.add('   '); // blank: not stored
    expect(h.entries).toEqual(['kv', 'lm', 'r']);
    expect(readFileSync(file, 'utf8')).toBe('kv\r\n\nlm\nr\n');
    expect(new History(file).entries).toEqual(['kv', 'lm', 'r']);
  });

  it('keeps only the last `limit` lines, in memory and in the file', () => {
    const file = join(dir, 'h');
    writeFileSync(file, Array.from({ length: 1005 }, (_, i) => `? ${i}\n`).join(''));
    const h = new History(file);
    expect(h.entries.length).toBe(1000);
    expect(h.entries[0]).toBe('? 5');
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBe(1000);
    const small = new History(undefined, 3);
    for (const l of ['a', 'b', 'c', 'd']) small.add(l);
    expect(small.entries).toEqual(['b', 'c', 'd']);
  });

  it('ignores file errors silently', () => {
    const missing = join(dir, 'no', 'such', 'dir', 'h');
    const h = new History(missing);
    h.add('kv');
    expect(h.entries).toEqual(['kv']);
    const isDir = join(dir, 'adir');
    mkdirSync(isDir);
    const h2 = new History(isDir);
    h2.add('lm');
    expect(h2.entries).toEqual(['lm']);
  });

  it('finds its file from CRASHKD_HISTORY or the home directory', () => {
    expect(defaultHistoryPath({ CRASHKD_HISTORY: '/x/y' })).toBe('/x/y');
    expect(defaultHistoryPath({ CRASHKD_HISTORY: '' })).toBeUndefined();
    expect(defaultHistoryPath({})).toBe(join(homedir(), '.crashkd_history'));
  });
});

describe('HistoryCursor', () => {
  it('walks older and newer and gives the draft back', () => {
    const h = new History();
    h.add('one');
    h.add('two');
    const c = new HistoryCursor(h);
    expect(c.newer()).toBeUndefined();
    expect(c.older('dra')).toBe('two');
    expect(c.older('two')).toBe('one');
    expect(c.older('one')).toBeUndefined();
    expect(c.newer()).toBe('two');
    expect(c.newer()).toBe('dra');
    expect(c.newer()).toBeUndefined();
    h.add('three');
    c.reset();
    expect(c.older('')).toBe('three');
  });
});
