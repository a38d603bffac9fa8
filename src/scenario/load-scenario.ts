import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { FormatError } from '../errors.js';
import { scenarioSchema, type Scenario } from './schema.js';

/** A scenario problem located in its file: `clock.yaml:12:5: unknown key 'rgisters'`. */
export class ScenarioError extends FormatError {
  constructor(message: string) {
    super('scenario', message);
    this.name = 'ScenarioError';
  }
}

/** Where a YAML path points, as `file:line:col`. */
export type Locator = (path: readonly (string | number)[]) => string;

function locator(file: string, doc: Document, lines: LineCounter): Locator {
  return (path) => {
    // Walk up until a node with a position exists (a missing key has none).
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return `${file}:${line}:${col}`;
      }
    }
    return `${file}:1:1`;
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
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
  const locate = locator(file, doc, lines);
  const parsed = scenarioSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ScenarioError(`${locate(issue.path as (string | number)[])}: ${describeIssue(issue)}`);
  }
  return { scenario: parsed.data, locate };
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
