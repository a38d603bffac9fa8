import type { CommandEvent } from '../repl/dispatcher.js';
import type { DumpSession } from '../session/dump-session.js';
import { answerMatches } from './answer.js';
import { leavesOf } from './parse-check.js';
import type { Check, CommandCheck } from './types.js';

/** The text `.answer` received, when the event is an answer. */
export function answerText(e: CommandEvent): string | undefined {
  if (e.name !== '.answer' || e.failed) return undefined;
  return typeof e.args === 'string' ? e.args : undefined;
}

/**
 * The first address argument of a command, when it has one: `.trap X` and `.cxr X` parse to
 * the address itself, `d*` and `u` to `{start}`, others may use `{address}`.
 */
export function firstAddress(args: unknown): bigint | undefined {
  if (typeof args === 'bigint') return args;
  if (typeof args !== 'object' || args === null) return undefined;
  const a = args as { address?: unknown; start?: unknown };
  if (typeof a.address === 'bigint') return a.address;
  if (typeof a.start === 'bigint') return a.start;
  return undefined;
}

function commandMatches(c: CommandCheck, e: CommandEvent): boolean {
  if (e.failed || e.name.toLowerCase() !== c.name.toLowerCase()) return false;
  if (c.processor !== undefined && e.unit !== c.processor) return false;
  if (c.options !== undefined) {
    const typed = e.word.slice(1).toLowerCase();
    if (![...c.options.toLowerCase()].every((letter) => typed.includes(letter))) return false;
  }
  if (c.address !== undefined && firstAddress(e.args) !== c.address) return false;
  return true;
}

/** Leaves of `check` that this event satisfies (command and answer leaves only). */
export function leavesSatisfiedBy(check: Check, e: CommandEvent): number[] {
  const answer = answerText(e);
  const hits: number[] = [];
  for (const leaf of leavesOf(check)) {
    if (leaf.kind === 'command' && commandMatches(leaf, e)) hits.push(leaf.leaf);
    if (leaf.kind === 'answer' && answer !== undefined && answerMatches(leaf, answer)) hits.push(leaf.leaf);
  }
  return hits;
}

/**
 * Whether a check holds now. Command and answer leaves hold once latched during the step;
 * processor and scope leaves look at the session as it is after the latest command.
 */
export function checkHolds(check: Check, latched: ReadonlySet<number>, session: DumpSession): boolean {
  switch (check.kind) {
    case 'command':
    case 'answer':
      return latched.has(check.leaf);
    case 'processor':
      return session.currentIndex === check.processor;
    case 'scope': {
      const s = session.scope;
      if (check.scope === 'none') return s === undefined;
      return s !== undefined && s.kind === check.scope.kind && s.address === check.scope.address;
    }
    case 'all':
      return check.checks.every((c) => checkHolds(c, latched, session));
    case 'any':
      return check.checks.some((c) => checkHolds(c, latched, session));
  }
}

/** True when the check asks a question (has an answer leaf). */
export function asksQuestion(check: Check): boolean {
  return leavesOf(check).some((l) => l.kind === 'answer');
}
