import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { FormatError } from '../errors.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { userScenarioSchema } from './user-schema.js';

/** A scenario problem located in its file: `clock.yaml:12:5: unknown key 'rgisters'`. */
export class ScenarioError extends FormatError {
  constructor(message: string) {
    super('scenario', message);
    this.name = 'ScenarioError';
  }
}

/** Where a YAML path points, as `file:line:col`. */
export type Locator = (path: readonly (string | number)[]) => string;

type Ranged = { range?: [number, number, number] };

/** A Locator over a parsed YAML document (shared with the lesson loader). */
export function locator(file: string, doc: Document, lines: LineCounter): Locator {
  return (path) => {
    // Walk up until a node with a position exists (a missing key has none).
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as Ranged | undefined;
      if (node && typeof node === 'object' && node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return `${file}:${line}:${col}`;
      }
    }
    return `${file}:1:1`;
  };
}

/** Position of a key inside the mapping at `path` (the key itself, not its parent). */
function keyPosition(file: string, doc: Document, lines: LineCounter, path: readonly PropertyKey[], key: string): string | undefined {
  const map = doc.getIn(path as (string | number)[], true);
  if (!isMap(map)) return undefined;
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
      const { line, col } = lines.linePos(pair.key.range[0]);
      return `${file}:${line}:${col}`;
    }
  }
  return undefined;
}

const TYPE_WORDS: Record<string, string> = {
  bigint: 'a number',
  number: 'a number',
  string: 'text',
  array: 'a list',
  object: 'a mapping',
  boolean: 'true or false',
};

function describeType(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  return TYPE_WORDS[issue.expected] ?? issue.expected;
}

/** Plain words for a failed union: the branch that took the value's type, else what was expected. */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion): string {
  const typed = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.code !== 'invalid_type'));
  if (typed?.[0]) return typed[0].message;
  const wanted = [...new Set(issue.errors.map((b) => (b[0] ? describeType(b[0]) : undefined)).filter((w): w is string => w !== undefined))];
  if (wanted.length === 0) return issue.message;
  const hex = issue.errors.some((b) => b.some((i) => i.code === 'invalid_type' && i.expected === 'string')) && wanted.includes('a number');
  return hex ? 'expected a number or a hex address like fffff880`06e53328' : `expected ${wanted.join(' or ')}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'invalid_union') return `${where}${describeUnion(issue)}`;
  const type = describeType(issue);
  if (type !== undefined && issue.code === 'invalid_type') return `${where}expected ${type}`;
  return `${where}${issue.message}`;
}

/**
 * `bytes: 90` or `bytes: 4889` is a YAML integer, not hex text: keep the digits as written so
 * a one-word byte string means the bytes it shows.
 */
function keepBytesAsWritten(doc: Document, text: string): void {
  const memory = doc.get('memory', true);
  if (!isSeq(memory)) return;
  for (const block of memory.items) {
    if (!isMap(block)) continue;
    const bytes = block.get('bytes', true);
    if (isScalar(bytes) && typeof bytes.value !== 'string' && bytes.type === 'PLAIN' && bytes.range) {
      bytes.value = text.slice(bytes.range[0], bytes.range[1]).trim();
    }
  }
}

/**
 * `target.kind: user` selects the user-mode format; anything else is read as a kernel scenario,
 * whose schema then reports a wrong or missing kind exactly as before user scenarios existed.
 */
function isUserScenario(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const target = (raw as { target?: unknown }).target;
  return typeof target === 'object' && target !== null && (target as { kind?: unknown }).kind === 'user';
}

/** Parses and validates scenario text; every error names file, line and column. */
export function parseScenario(text: string, file: string): { scenario: Scenario; locate: Locator } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { intAsBigInt: true, lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const { line, col } = lines.linePos(e.pos[0]);
    throw new ScenarioError(`${file}:${line}:${col}: ${e.message.split('\n')[0]}`);
  }
  keepBytesAsWritten(doc, text);
  const locate = locator(file, doc, lines);
  const raw: unknown = doc.toJS();
  const parsed = (isUserScenario(raw) ? userScenarioSchema : scenarioSchema).safeParse(raw);
  if (!parsed.success) throw new ScenarioError(locatedIssue(parsed.error.issues[0]!, file, doc, lines));
  return { scenario: parsed.data, locate };
}

/**
 * A schema issue as `file:line:col: message`, pointing at the offending key or value (shared
 * with the lesson loader, whose YAML has the same kind of errors).
 */
export function locatedIssue(issue: z.core.$ZodIssue, file: string, doc: Document, lines: LineCounter): string {
  const locate = locator(file, doc, lines);
  const path = issue.path as (string | number)[];
  if (issue.code === 'unrecognized_keys') {
    const first = issue.keys[0] ?? '';
    const at = keyPosition(file, doc, lines, path, first) ?? locate(path);
    return `${at}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  const parent = path.slice(0, -1);
  const key = path[path.length - 1];
  if (typeof key === 'string' && isMap(doc.getIn(parent, true)) && !doc.hasIn(path)) {
    const where = parent.length > 0 ? ` in ${parent.join('.')}` : '';
    return `${locate(parent)}: missing required key '${key}'${where}`;
  }
  return `${locate(path)}: ${describeIssue(issue)}`;
}

/** Reads a scenario file. */
export function loadScenarioFile(path: string): { scenario: Scenario; locate: Locator } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ScenarioError(`${path}: cannot read scenario file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseScenario(text, path);
}
