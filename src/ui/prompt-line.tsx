import { Box, Text, useCursor, useStdout } from 'ink';
import TextInput from 'ink-text-input';
import { roleStyle } from './theme.js';

/** Props of the prompt line. */
export interface PromptLineProps {
  /** `0: kd> `, or '' while a command runs (typed-ahead text still shows). */
  readonly prompt: string;
  readonly value: string;
  readonly editorKey: number;
  readonly colors: boolean;
  onChange(value: string): void;
  onSubmit(value: string): void;
}

/**
 * The prompt and its line editor. Without colours the inverse-video fake cursor of
 * ink-text-input is an escape code too, so the real terminal cursor is shown at the end of the
 * line instead (the text input then only appends and erases at the end).
 */
export function PromptLine(props: PromptLineProps) {
  const { setCursorPosition } = useCursor();
  const { stdout } = useStdout();
  if (props.colors) setCursorPosition(undefined);
  else {
    const columns = Math.max(1, stdout.columns || 80);
    const at = props.prompt.length + props.value.length;
    setCursorPosition({ x: at % columns, y: Math.floor(at / columns) });
  }
  return (
    <Box>
      <Text {...roleStyle('prompt', props.colors)}>{props.prompt}</Text>
      <TextInput
        key={props.editorKey}
        value={props.value}
        onChange={props.onChange}
        onSubmit={props.onSubmit}
        showCursor={props.colors}
      />
    </Box>
  );
}
