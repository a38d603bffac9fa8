import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLesson } from '../../../src/lessons/lesson-check.js';
import { checkScenarioFile } from '../../../src/lessons/scenario-check.js';

const DOC = readFileSync('docs/lessons.md', 'utf8');

/** The fenced block after `<!-- example: NAME -->` in docs/lessons.md. */
function example(name: string): string {
  const m = new RegExp(`<!-- example: ${name.replace(/[.]/g, '\\.')} -->\\n\`\`\`(?:yaml|text)\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!m) throw new Error(`no example ${name} in docs/lessons.md`);
  return m[1]!;
}

describe('the walkthrough of docs/lessons.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crashkd-doc-'));
  mkdirSync(join(dir, 'lessons'));
  writeFileSync(join(dir, 'demo-driver.yaml'), `${example('demo-driver.yaml')}\n`);
  writeFileSync(join(dir, 'lessons', 'demo-driver.yaml'), `${example('lessons/demo-driver.yaml')}\n`);
  const relative = (text: string) => text.split(`${dir}/`).join('');

  it('has a scenario that passes scenario check with the output the guide shows', () => {
    const r = checkScenarioFile(join(dir, 'demo-driver.yaml'));
    const shown = [...r.findings.map((f) => f.text), r.summary].map(relative);
    expect(['$ crashkd scenario check demo-driver.yaml', ...shown].join('\n')).toBe(example('scenario check'));
    expect(r.ok).toBe(true);
  });

  it('has a lesson that passes lesson check with the output the guide shows', async () => {
    const r = await checkLesson(join(dir, 'lessons', 'demo-driver.yaml'));
    expect(['$ crashkd lesson check lessons/demo-driver.yaml', ...r.lines.map(relative)].join('\n')).toBe(example('lesson check'));
    expect(r.ok).toBe(true);
  });
});
