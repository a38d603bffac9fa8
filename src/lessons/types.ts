import type { Locator } from '../scenario/load-scenario.js';

/** Where a value sits in the lesson YAML (for located messages). */
export type YamlPath = readonly (string | number)[];

/** `{command: NAME, processor?, options?, address?}`: a command of that registry name ran successfully. */
export interface CommandCheck {
  readonly kind: 'command';
  /** Leaf number inside its step: latched once satisfied. */
  readonly leaf: number;
  readonly path: YamlPath;
  readonly name: string;
  readonly processor?: number;
  readonly options?: string;
  readonly address?: bigint;
}

/** `{scope: {kind, address}}` or `{scope: none}`: the session's register-context override. */
export interface ScopeCheck {
  readonly kind: 'scope';
  readonly path: YamlPath;
  readonly scope: 'none' | { readonly kind: 'trap' | 'cxr'; readonly address: bigint };
}

/** `{processor: N}`: the current processor/thread is N. */
export interface ProcessorCheck {
  readonly kind: 'processor';
  readonly path: YamlPath;
  readonly processor: number;
}

/** `{answer: {values, patterns}}`: the student typed a matching `.answer TEXT`. */
export interface AnswerCheck {
  readonly kind: 'answer';
  readonly leaf: number;
  readonly path: YamlPath;
  readonly values: readonly bigint[];
  readonly patterns: readonly RegExp[];
}

/** `{all: [...]}` / `{any: [...]}`. */
export interface GroupCheck {
  readonly kind: 'all' | 'any';
  readonly path: YamlPath;
  readonly checks: readonly Check[];
}

/** A step's check, parsed. */
export type Check = CommandCheck | ScopeCheck | ProcessorCheck | AnswerCheck | GroupCheck;

/** One step of a lesson. */
export interface LessonStep {
  readonly id: string;
  readonly task: string;
  readonly check: Check;
  readonly hints: readonly string[];
  readonly explanation: string;
}

/** One entry of the reference solution: a command line, or an answer (run as `.answer TEXT`). */
export interface SolutionEntry {
  readonly line: string;
  readonly path: YamlPath;
}

/** Skill level shown in `crashkd learn`. */
export type LessonLevel = 'beginner' | 'intermediate' | 'advanced';

/** A validated lesson file. */
export interface Lesson {
  readonly id: string;
  readonly title: string;
  readonly level: LessonLevel;
  readonly introduction: string;
  /** The scenario as written in the file (relative to it). */
  readonly scenario: string;
  /** The scenario's path resolved against the lesson file's folder. */
  readonly scenarioPath: string;
  readonly steps: readonly LessonStep[];
  readonly solution: readonly SolutionEntry[];
  /** The lesson file, as given. */
  readonly file: string;
  /** Points into the lesson file: `file:line:col`. */
  readonly locate: Locator;
}
