import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** How many command lines the history keeps, in memory and on disk. */
export const HISTORY_LIMIT = 1000;

/**
 * The history file to use: `CRASHKD_HISTORY` when set (an empty value means "no file"),
 * else `~/.crashkd_history`.
 */
export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env['CRASHKD_HISTORY'];
  if (override !== undefined) return override === '' ? undefined : override;
  return join(homedir(), '.crashkd_history');
}

/**
 * Typed command lines, oldest first, for Up/Down recall. Backed by an optional file that is
 * read once and appended to per line; any file error only costs persistence, never the session.
 */
export class History {
  private readonly lines: string[] = [];

  constructor(
    /** File to load from and append to; undefined keeps history in memory only. */
    readonly file?: string,
    readonly limit: number = HISTORY_LIMIT,
  ) {
    if (file !== undefined) this.load(file);
  }

  /** Entries, oldest first. */
  get entries(): readonly string[] {
    return this.lines;
  }

  /** Records a typed line (blank lines and repeats of the last line are skipped). */
  add(line: string): void {
    if (line.trim() === '' || this.lines[this.lines.length - 1] === line) return;
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
    if (this.file === undefined) return;
    try {
      appendFileSync(this.file, `${line}\n`, { mode: 0o600 });
    } catch {
      // A read-only home or full disk must not break the debugger.
    }
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    const all = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    const kept = all.slice(-this.limit);
    this.lines.push(...kept);
    // Appending forever would grow the file without bound, so each session starts from a trimmed file.
    if (all.length > this.limit) {
      try {
        writeFileSync(file, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
      } catch {
        // Keep working with the untrimmed file.
      }
    }
  }
}

/**
 * Up/Down walk over a History. Position `entries.length` is the line being typed, kept as a
 * draft so Down past the newest entry gives it back.
 */
export class HistoryCursor {
  private position: number;
  private draft = '';

  constructor(private readonly history: History) {
    this.position = history.entries.length;
  }

  /** The older entry to show for Up, or undefined when there is none. */
  older(current: string): string | undefined {
    const entries = this.history.entries;
    if (this.position > entries.length) this.position = entries.length;
    if (this.position === 0) return undefined;
    if (this.position === entries.length) this.draft = current;
    this.position--;
    return entries[this.position];
  }

  /** The newer entry (or the draft) to show for Down, or undefined at the bottom. */
  newer(): string | undefined {
    const entries = this.history.entries;
    if (this.position >= entries.length) return undefined;
    this.position++;
    return this.position === entries.length ? this.draft : entries[this.position];
  }

  /** Back to the bottom after a line is submitted or abandoned. */
  reset(): void {
    this.position = this.history.entries.length;
    this.draft = '';
  }
}
