import type { LineRole } from '../repl/output.js';

/** The ink `<Text>` styling of one line role. */
export interface RoleStyle {
  readonly color?: string;
  readonly bold?: boolean;
}

/**
 * Whether colours may be used: https://no-color.org says any non-empty NO_COLOR turns them off.
 * chalk (which ink uses) ignores NO_COLOR, so the UI has to honour it itself.
 */
export function colorsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env['NO_COLOR'];
  return v === undefined || v === '';
}

const STYLES: Record<LineRole, RoleStyle> = {
  output: {},
  prompt: { bold: true },
  error: { color: 'red' },
  warning: { color: 'yellow' },
};

/** Text props for a role; empty (plain text) when colours are off. */
export function roleStyle(role: LineRole, colors: boolean): RoleStyle {
  return colors ? STYLES[role] : {};
}
