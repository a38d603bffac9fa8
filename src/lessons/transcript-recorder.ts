import type { DumpSession } from '../session/dump-session.js';

/** One command as shown: the prompt, the text typed, and everything it printed. */
export interface TranscriptEntry {
  readonly prompt: string;
  readonly command: string;
  readonly output: string[];
}

/** Text kept per session at most; beyond it outputs are cut (a handout, not a log). */
const MAX_CHARS = 8 * 1024 * 1024;

/**
 * Records a session as commands with their outputs, from the same stream `.logopen` receives.
 * A chunk that is one line starting with the current prompt is the echo of a new command
 * (transcript.ts logs it before running the command); everything else is output.
 */
export class TranscriptRecorder {
  readonly entries: TranscriptEntry[] = [];
  private chars = 0;
  /** True once output was dropped to stay under the size bound. */
  truncated = false;

  constructor(private readonly session: DumpSession) {}

  /** The log sink. */
  readonly sink = (text: string): void => {
    const prompt = this.session.prompt();
    const single = text.endsWith('\n') && text.indexOf('\n') === text.length - 1;
    if (single && text.startsWith(prompt)) {
      this.entries.push({ prompt, command: text.slice(prompt.length, -1), output: [] });
      return;
    }
    const last = this.entries[this.entries.length - 1];
    // Output before the first command (the opening banner) is not part of the handout.
    if (!last) return;
    if (this.chars + text.length > MAX_CHARS) {
      if (!this.truncated) last.output.push('[... output cut: the transcript reached its size limit ...]');
      this.truncated = true;
      return;
    }
    this.chars += text.length;
    last.output.push(...text.replace(/\n$/, '').split('\n'));
  };
}

const recorders = new WeakMap<DumpSession, TranscriptRecorder>();

/** Starts recording a session (once; later calls return the same recorder). */
export function recordTranscript(session: DumpSession): TranscriptRecorder {
  let r = recorders.get(session);
  if (!r) {
    r = new TranscriptRecorder(session);
    session.addLog(r.sink);
    recorders.set(session, r);
  }
  return r;
}

/** The session's recorder, when one was started. */
export function transcriptOf(session: DumpSession): TranscriptRecorder | undefined {
  return recorders.get(session);
}
