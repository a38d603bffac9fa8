import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Dispatcher } from '../repl/dispatcher.js';
import { err, out, type Line } from '../repl/output.js';
import { runEchoed } from '../repl/transcript.js';
import { OutputPump } from './output-pump.js';
import { groupLines, type ScrollbackBatch } from './scrollback-items.js';

/** What the view needs from the command runner. */
export interface Repl {
  /** The newest scrollback slice for `<Static>`. */
  readonly batch: ScrollbackBatch;
  /** Prompt of the current processor/thread, re-read after every command. */
  readonly prompt: string;
  /** A command is running or its output is still being printed. */
  readonly busy: boolean;
  /** The session ended (`q`, Ctrl+D); the view stops drawing the prompt. */
  readonly done: boolean;
  /** Queues one command line; lines run one at a time, in order. */
  submit(line: string): void;
  /** Ctrl+C: stops the running command and drops queued lines; false when nothing ran. */
  cancel(): boolean;
  /** Ends the session without a command (Ctrl+D on an empty line). */
  quit(): void;
}

/**
 * Runs command lines through the dispatcher one at a time and turns their output into
 * scrollback batches, a slice per event-loop turn.
 */
export function useRepl(dispatcher: Dispatcher, banner: readonly Line[], initialCommands: readonly string[], onExit: () => void): Repl {
  const session = dispatcher.session;
  const [batch, setBatch] = useState<ScrollbackBatch>(() => ({ key: 0, items: groupLines(banner, 0) }));
  const [prompt, setPrompt] = useState(() => session.prompt());
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const nextId = useRef(batch.items.length);
  const renderedKey = useRef(-1);
  const queue = useRef<string[]>([]);
  const running = useRef(false);
  const current = useRef<AbortController | undefined>(undefined);
  const onExitRef = useRef(onExit);
  onExitRef.current = onExit;

  useLayoutEffect(() => {
    renderedKey.current = batch.key;
  }, [batch.key]);

  const append = useCallback((lines: readonly Line[]) => {
    const items = groupLines(lines, nextId.current);
    nextId.current += items.length;
    // A batch that ink has not printed yet is extended rather than replaced, so no line is lost
    // when two slices land before one render.
    setBatch((prev) =>
      prev.key === renderedKey.current ? { key: prev.key + 1, items } : { key: prev.key, items: [...prev.items, ...items] },
    );
  }, []);

  const pump = useRef<OutputPump | undefined>(undefined);
  pump.current ??= new OutputPump(append);

  const runQueue = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    const p = pump.current!;
    try {
      while (queue.current.length > 0 && !session.quitRequested) {
        const line = queue.current.shift()!;
        const controller = new AbortController();
        current.current = controller;
        try {
          await runEchoed(dispatcher, line, {
            signal: controller.signal,
            onLines: (chunk) => {
              if (!controller.signal.aborted) p.push(chunk);
            },
          });
        } catch (e) {
          // The dispatcher turns command failures into lines; reaching here is a bug worth showing.
          if (!controller.signal.aborted) p.push([err(`crashkd: internal error: ${e instanceof Error ? e.message : String(e)}`)]);
        }
        await p.drained();
        current.current = undefined;
        setPrompt(session.prompt());
      }
    } finally {
      running.current = false;
      if (session.quitRequested) setDone(true);
      else setBusy(false);
    }
  }, [dispatcher, session]);

  const submit = useCallback(
    (line: string) => {
      queue.current.push(line);
      void runQueue();
    },
    [runQueue],
  );

  const cancel = useCallback(() => {
    const c = current.current;
    if (!c) return false;
    queue.current.length = 0;
    if (!c.signal.aborted) {
      c.abort();
      pump.current!.drop();
      pump.current!.push([out('^C')]);
    }
    return true;
  }, []);

  const quit = useCallback(() => setDone(true), []);

  useEffect(() => {
    if (done) onExitRef.current();
  }, [done]);

  useEffect(() => {
    for (const c of initialCommands) queue.current.push(c);
    if (queue.current.length > 0) void runQueue();
    const p = pump.current;
    return () => {
      current.current?.abort();
      queue.current.length = 0;
      p?.dispose();
    };
    // Initial commands run once, at mount.
  }, []);

  return { batch, prompt, busy, done, submit, cancel, quit };
}
