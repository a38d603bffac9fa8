import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDir, ProgressStore } from '../../../src/lessons/progress.js';

describe('configDir', () => {
  it('follows each platform, and CRASHKD_CONFIG_DIR overrides all', () => {
    expect(configDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/crashkd');
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann')).toBe('/xdg/crashkd');
    expect(configDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/ann')).toBe('/home/ann/.config/crashkd');
    expect(configDir({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/crashkd');
    expect(configDir({ APPDATA: 'C:/Users/ann/AppData/Roaming' }, 'win32', 'C:/Users/ann')).toBe(join('C:/Users/ann/AppData/Roaming', 'crashkd'));
    expect(configDir({ CRASHKD_CONFIG_DIR: '/tmp/x', XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann')).toBe('/tmp/x');
  });
});

describe('ProgressStore', () => {
  const progress = { lesson: 'demo', current: 'two', passed: ['one'], skipped: [], hints: { one: 2 } };

  it('saves, loads and resets one file per lesson', () => {
    const root = mkdtempSync(join(tmpdir(), 'crashkd-store-'));
    const store = new ProgressStore(root);
    expect(store.load('demo')).toBeUndefined();
    store.save(progress);
    store.save({ ...progress, lesson: 'other' });
    expect(store.load('demo')).toEqual(progress);
    store.reset('demo');
    expect(store.load('demo')).toBeUndefined();
    expect(store.load('other')).toBeDefined();
    store.resetAll();
    expect(store.load('other')).toBeUndefined();
  });

  it('treats a damaged or foreign file as no progress', () => {
    const root = mkdtempSync(join(tmpdir(), 'crashkd-store-'));
    mkdirSync(join(root, 'lessons'));
    writeFileSync(join(root, 'lessons', 'demo.progress.json'), '{"lesson": "demo", "current": 3');
    expect(new ProgressStore(root).load('demo')).toBeUndefined();
    writeFileSync(join(root, 'lessons', 'demo.progress.json'), JSON.stringify({ ...progress, lesson: 'someone-else' }));
    expect(new ProgressStore(root).load('demo')).toBeUndefined();
    writeFileSync(join(root, 'lessons', 'demo.progress.json'), JSON.stringify({ ...progress, hints: { one: -1 } }));
    expect(new ProgressStore(root).load('demo')).toBeUndefined();
  });
});
