/**
 * How control leaves statements: errors that end a program, `.break`/`.continue`/`.leave`
 * looking for their loop or `.catch`, and quiet stops; plus the frame a block runs in.
 */
import type { AliasView } from './aliases.js';

/** An error that ends the program; its lines are already shown. */
export class Failure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** `.break`, `.continue` and `.leave` travelling to their loop or `.catch`. */
export class FlowSignal {
  constructor(
    readonly kind: 'break' | 'continue' | 'leave',
    /** The token's text and caret column, fixed where it was met. */
    readonly shown: string,
    readonly column: number,
    readonly offset: number,
  ) {}
}

/** Stop quietly: a limit was reported, Ctrl+C was pressed, or `q` ran. */
export class Halt {}

/** The alias view and nesting of the block being run. */
export interface Frame {
  readonly view: AliasView;
  /** False in a block whose text starts with `as`/`aS`/`ad`/`al`. */
  readonly expand: boolean;
  /** 0 at the top of the program: only there does a failing command not end it. */
  readonly depth: number;
  /** `.foreach` variables in scope, outermost first. */
  readonly bindings: ReadonlyArray<readonly [string, string]>;
}
