import { useCallback, useEffect, useRef, useState } from 'react';
import { useInput, type Key } from 'ink';
import { HistoryCursor, type History } from './history.js';
import type { Repl } from './use-repl.js';

/** State and callbacks for the prompt's ink-text-input. */
export interface LineEditor {
  readonly value: string;
  /** Changes whenever the text is replaced from outside, remounting the input so its cursor goes to the end. */
  readonly editorKey: number;
  /** False until our key handler is subscribed; the text input must subscribe after it. */
  readonly ready: boolean;
  onChange(value: string): void;
  onSubmit(value: string): void;
}

/**
 * The keys ink-text-input leaves alone: Up/Down history, Ctrl+C, Ctrl+D, and chunks that carry
 * several lines. ink delivers a paste (or `tmux send-keys 'kv' Enter`) as one chunk such as
 * "kv\r", which the text input inserts verbatim instead of submitting, so onChange splits it.
 */
export function useLineEditor(history: History, repl: Repl): LineEditor {
  const [value, setValue] = useState('');
  const [editorKey, setEditorKey] = useState(0);
  const [ready, setReady] = useState(false);
  const valueRef = useRef('');
  const replRef = useRef(repl);
  replRef.current = repl;
  const cursor = useRef<HistoryCursor | undefined>(undefined);
  cursor.current ??= new HistoryCursor(history);
  // Set by our handler, which runs before the text input's for the same key (see `ready`).
  const swallow = useRef(false);

  const replace = useCallback((text: string) => {
    valueRef.current = text;
    setValue(text);
    setEditorKey((k) => k + 1);
  }, []);

  const submitLine = useCallback((line: string) => {
    history.add(line);
    cursor.current!.reset();
    replRef.current.submit(line);
  }, [history]);

  // Stable identity: ink re-subscribes a handler whose identity changes, which would move it
  // behind the text input's in the listener list.
  const onKey = useCallback((input: string, key: Key) => {
    swallow.current = false;
    const r = replRef.current;
    if (key.ctrl && input === 'c') {
      if (!r.cancel()) {
        cursor.current!.reset();
        replace('');
      }
      return;
    }
    if (key.upArrow || key.downArrow) {
      const text = key.upArrow ? cursor.current!.older(valueRef.current) : cursor.current!.newer();
      if (text !== undefined) replace(text);
      return;
    }
    if (key.ctrl && input === 'd' && valueRef.current === '' && !r.busy) {
      swallow.current = true;
      r.quit();
      return;
    }
    // ink-text-input would insert the bare letter of Ctrl+X / Alt+X. Remounting the input puts
    // its cursor at the end, which is what Ctrl+E asks for; Ctrl+U empties the line.
    if ((key.ctrl || key.meta) && input.length > 0 && !key.return) {
      swallow.current = true;
      replace(key.ctrl && input === 'u' ? '' : valueRef.current);
    }
  }, [replace]);
  useInput(onKey);

  useEffect(() => {
    setReady(true);
  }, []);

  const onChange = useCallback((next: string) => {
    if (swallow.current) return;
    // A pasted chunk can carry control characters the terminal would never echo; keep line breaks.
    const clean = next.replace(/\t/g, ' ').replace(/[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]/g, '');
    const parts = clean.split(/\r\n|\r|\n/);
    const rest = parts.pop() ?? '';
    for (const line of parts) submitLine(line);
    if (parts.length > 0) replace(rest);
    else {
      valueRef.current = rest;
      setValue(rest);
    }
  }, [submitLine, replace]);

  const onSubmit = useCallback((line: string) => {
    submitLine(line);
    replace('');
  }, [submitLine, replace]);

  return { value, editorKey, ready, onChange, onSubmit };
}
