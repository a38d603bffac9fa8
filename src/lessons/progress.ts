import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What is saved about one lesson between sessions. */
export interface LessonProgress {
  readonly lesson: string;
  /** Id of the current step; null once the lesson is complete. */
  readonly current: string | null;
  readonly passed: readonly string[];
  readonly skipped: readonly string[];
  /** Hints shown, per step id. */
  readonly hints: Readonly<Record<string, number>>;
}

/**
 * crashkd's configuration folder: CRASHKD_CONFIG_DIR when set (tests), else the platform's
 * per-user place: `%APPDATA%\crashkd`, `~/Library/Application Support/crashkd`, or
 * `$XDG_CONFIG_HOME/crashkd` (default `~/.config/crashkd`).
 */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const override = env['CRASHKD_CONFIG_DIR'];
  if (override) return override;
  if (platform === 'win32') return join(env['APPDATA'] || join(home, 'AppData', 'Roaming'), 'crashkd');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'crashkd');
  const xdg = env['XDG_CONFIG_HOME'];
  // The XDG spec says relative values are invalid and must be ignored.
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.config'), 'crashkd');
}

function isProgress(v: unknown, id: string): v is LessonProgress {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  return (
    p['lesson'] === id &&
    (p['current'] === null || typeof p['current'] === 'string') &&
    strings(p['passed']) &&
    strings(p['skipped']) &&
    typeof p['hints'] === 'object' &&
    p['hints'] !== null &&
    Object.values(p['hints']).every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)
  );
}

/** Lesson progress files, one JSON file per lesson under `<configDir>/lessons/`. */
export class ProgressStore {
  readonly dir: string;

  constructor(root: string = configDir()) {
    this.dir = join(root, 'lessons');
  }

  private file(id: string): string {
    return join(this.dir, `${id}.progress.json`);
  }

  /** Saved progress, or undefined when there is none or the file is unreadable (a fresh start). */
  load(id: string): LessonProgress | undefined {
    try {
      const v: unknown = JSON.parse(readFileSync(this.file(id), 'utf8'));
      return isProgress(v, id) ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes progress atomically (a crash mid-write leaves the old file). */
  save(p: LessonProgress): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file(p.lesson)}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(p, null, 2)}\n`);
    renameSync(tmp, this.file(p.lesson));
  }

  /** Forgets one lesson's progress (`--reset`). */
  reset(id: string): void {
    rmSync(this.file(id), { force: true });
  }

  /** Forgets every lesson's progress. */
  resetAll(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) if (n.endsWith('.progress.json')) rmSync(join(this.dir, n), { force: true });
  }
}
