import { Box } from 'ink';
import type { Dispatcher } from '../repl/dispatcher.js';
import type { Line } from '../repl/output.js';
import type { History } from './history.js';
import type { LessonRunner } from '../lessons/runner.js';
import { LessonCursor, LessonPanel } from './lesson-panel.js';
import { PromptLine } from './prompt-line.js';
import { Scrollback } from './scrollback.js';
import { colorsAllowed } from './theme.js';
import { useLineEditor } from './use-line-editor.js';
import { useRepl } from './use-repl.js';

/** Props of the interactive debugger view. */
export interface AppProps {
  readonly dispatcher: Dispatcher;
  /** Printed first (the open-dump banner). */
  readonly banner: readonly Line[];
  readonly history: History;
  /** Run first, echoed like typed lines (`-c`). */
  readonly initialCommands?: readonly string[];
  /** Called once when the session ends (`q`, `qq`, Ctrl+D on an empty line). */
  readonly onExit: () => void;
  /** Colour the prompt, errors and warnings; defaults to "unless NO_COLOR is set". */
  readonly colors?: boolean;
  /** Lesson mode: the lesson panel shows above the prompt. */
  readonly lesson?: LessonRunner;
}

const NONE: readonly string[] = [];

/** The interactive kd view: scrollback above, the prompt and line editor below. */
export function App(props: AppProps) {
  const colors = props.colors ?? colorsAllowed();
  const repl = useRepl(props.dispatcher, props.banner, props.initialCommands ?? NONE, props.onExit);
  const editor = useLineEditor(props.history, repl);
  return (
    <Box flexDirection="column">
      <Scrollback batch={repl.batch} colors={colors} />
      {props.lesson && !repl.done && <LessonPanel runner={props.lesson} colors={colors} />}
      {editor.ready && !repl.done && (
        <PromptLine
          prompt={repl.busy ? '' : repl.prompt}
          value={editor.value}
          editorKey={editor.editorKey}
          colors={colors}
          onChange={editor.onChange}
          onSubmit={editor.onSubmit}
        />
      )}
      {props.lesson && !colors && editor.ready && !repl.done && (
        <LessonCursor runner={props.lesson} prompt={repl.busy ? '' : repl.prompt} value={editor.value} />
      )}
    </Box>
  );
}
