import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

/** File services the session offers commands, so commands never touch the file system. */
export interface SessionHost {
  /** Text of a script file; throws DebuggerError-worthy errors with a readable message. */
  readTextFile(path: string): string;
  /** Opens (truncating, or appending) a log file and returns a writer. */
  openLog(path: string, append: boolean): (text: string) => void;
}

/** The real host: node:fs. */
export const nodeHost: SessionHost = {
  readTextFile: (path) => readFileSync(path, 'utf8'),
  openLog(path, append) {
    if (!append) writeFileSync(path, '');
    return (text) => appendFileSync(path, text);
  },
};
