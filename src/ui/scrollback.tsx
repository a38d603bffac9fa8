import { Static, Text } from 'ink';
import type { ScrollbackBatch } from './scrollback-items.js';
import { roleStyle } from './theme.js';

/**
 * Finished output. Each batch gets a fresh `<Static>` (keyed), which prints its items once and
 * then holds nothing, so a long session does not keep every line in React state.
 */
export function Scrollback(props: { batch: ScrollbackBatch; colors: boolean }) {
  return (
    <Static key={props.batch.key} items={props.batch.items}>
      {(item) => (
        <Text key={item.id} {...roleStyle(item.role, props.colors)}>
          {/* ink gives an empty Text no height, which would swallow a blank line. */}
          {item.text === '' ? ' ' : item.text}
        </Text>
      )}
    </Static>
  );
}
