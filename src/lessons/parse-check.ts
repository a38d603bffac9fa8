import type { z } from 'zod';
import { checkSchemas, CHECK_KINDS } from './schema.js';
import type { Check, YamlPath } from './types.js';

/** Reports a problem at a YAML path (or a schema issue whose path is already complete); throws. */
export interface CheckProblems {
  at(path: YamlPath, message: string): never;
  issue(issue: z.core.$ZodIssue): never;
}

/**
 * Parses one step's check: exactly one kind per mapping (`processor` also narrows a `command`),
 * `all`/`any` nest. Command and answer leaves get numbers so the runner can latch them.
 */
export function parseCheck(value: unknown, path: YamlPath, problems: CheckProblems, leaves = { next: 0 }): Check {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problems.at(path, 'expected a check mapping such as {command: k}');
  }
  const keys = Object.keys(value);
  const kinds = 'command' in value ? ['command'] : CHECK_KINDS.filter((k) => keys.includes(k));
  if (kinds.length === 0) {
    const unknown = keys[0] === undefined ? '' : ` (found '${keys[0]}')`;
    return problems.at(path, `a check needs one of: ${CHECK_KINDS.join(', ')}${unknown}`);
  }
  if (kinds.length > 1) {
    return problems.at(path, `a check has exactly one kind, this one has ${kinds.join(' and ')}; combine checks with all: [...] or any: [...]`);
  }
  const kind = kinds[0] as (typeof CHECK_KINDS)[number];
  const parsed = checkSchemas[kind].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return problems.issue({ ...issue, path: [...path, ...issue.path] } as z.core.$ZodIssue);
  }
  const data = parsed.data as Record<string, unknown>;
  switch (kind) {
    case 'command': {
      const d = parsed.data as z.infer<typeof checkSchemas.command>;
      return {
        kind,
        leaf: leaves.next++,
        path,
        name: d.command,
        ...(d.processor === undefined ? {} : { processor: d.processor }),
        ...(d.options === undefined ? {} : { options: d.options }),
        ...(d.address === undefined ? {} : { address: d.address }),
      };
    }
    case 'scope':
      return { kind, path, scope: (parsed.data as z.infer<typeof checkSchemas.scope>).scope };
    case 'processor':
      return { kind, path, processor: (parsed.data as z.infer<typeof checkSchemas.processor>).processor };
    case 'answer': {
      const a = (parsed.data as z.infer<typeof checkSchemas.answer>).answer;
      const patterns = a.patterns.map((p, i) => compilePattern(p, [...path, 'answer', 'patterns', i], problems));
      return { kind, leaf: leaves.next++, path, values: a.values, patterns };
    }
    case 'all':
    case 'any': {
      const items = data[kind] as unknown[];
      return { kind, path, checks: items.map((c, i) => parseCheck(c, [...path, kind, i], problems, leaves)) };
    }
  }
}

function compilePattern(source: string, path: YamlPath, problems: CheckProblems): RegExp {
  try {
    return new RegExp(source, 'i');
  } catch (e) {
    return problems.at(path, `not a valid regular expression: ${(e as Error).message}`);
  }
}

/** Every leaf of a check tree, depth first. */
export function leavesOf(check: Check): Check[] {
  return check.kind === 'all' || check.kind === 'any' ? check.checks.flatMap(leavesOf) : [check];
}
