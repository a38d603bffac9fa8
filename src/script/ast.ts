/**
 * The parsed form of a debugger command program. Every node keeps absolute offsets into the
 * program text so errors can name the script line and caret column.
 */

/** A slice of the program: a condition or a string operand. */
export interface SourceText {
  readonly text: string;
  readonly offset: number;
}

/** A `{ }` block. `expand` is false when its text starts with an alias command. */
export interface Block {
  readonly offset: number;
  readonly end: number;
  readonly expand: boolean;
  readonly body: readonly Statement[];
}

/** Fields every statement has: where it starts and ends in the program text. */
interface At {
  readonly offset: number;
  readonly end: number;
}

/** Where `.foreach` takes its tokens from. */
export type ForeachSource =
  | { readonly kind: 'commands'; readonly block: Block }
  | { readonly kind: 'string'; readonly value: SourceText }
  | { readonly kind: 'file'; readonly path: SourceText };

/** One statement of a command program. */
export type Statement =
  | (At & { readonly kind: 'command'; readonly text: string })
  | (At & { readonly kind: 'if'; readonly branches: ReadonlyArray<{ readonly cond: SourceText; readonly body: Block }>; readonly otherwise?: Block })
  | (At & { readonly kind: 'while'; readonly cond: SourceText; readonly body: Block })
  | (At & { readonly kind: 'do'; readonly body: Block; readonly cond: SourceText })
  | (At & {
      readonly kind: 'for';
      readonly init: readonly Statement[];
      readonly cond: SourceText;
      readonly step: readonly Statement[];
      readonly body: Block;
    })
  | (At & {
      readonly kind: 'foreach';
      readonly initialSkip?: SourceText;
      readonly skip?: SourceText;
      readonly variable: string;
      readonly source: ForeachSource;
      readonly body: Block;
    })
  | (At & { readonly kind: 'block' | 'catch'; readonly body: Block })
  | (At & { readonly kind: 'break' | 'continue' | 'leave' })
  /** A construct that did not parse; running it reports a Syntax error with the caret at `at`. */
  | (At & { readonly kind: 'invalid'; readonly at: number });
