import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebuggerError } from '../errors.js';
import { loadLessonFile } from './load-lesson.js';
import type { ProgressStore } from './progress.js';
import type { Lesson } from './types.js';

/**
 * The lessons shipped with crashkd: `fixtures/lessons` found upwards from this module (the
 * sources are two folders down, the bundle one), or CRASHKD_LESSONS_DIR when set.
 */
export function lessonsDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env['CRASHKD_LESSONS_DIR'];
  if (override) return resolve(override);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'fixtures', 'lessons');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** One row of `crashkd learn`: a lesson with its saved progress, or a file that does not load. */
export type CatalogEntry =
  | { readonly file: string; readonly lesson: Lesson; readonly passed: number; readonly current: number | null; readonly started: boolean }
  | { readonly file: string; readonly error: string };

/** Every `*.yaml` lesson in `dir`, by file name, with progress from `store`. */
export function listLessons(dir: string, store?: ProgressStore): CatalogEntry[] {
  const files = readdirSync(dir)
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort();
  return files.map((name) => {
    const file = join(dir, name);
    try {
      const lesson = loadLessonFile(file);
      const p = store?.load(lesson.id);
      const current = p ? (p.current === null ? null : Math.max(0, lesson.steps.findIndex((s) => s.id === p.current))) : 0;
      const passed = p ? lesson.steps.filter((s) => p.passed.includes(s.id)).length : 0;
      return { file, lesson, passed, current, started: p !== undefined };
    } catch (e) {
      return { file, error: e instanceof Error ? e.message : String(e) };
    }
  });
}

/** The lesson file for `crashkd learn NAME`: a path to a YAML file, or a lesson id in `dir`. */
export function findLessonFile(name: string, dir: string | undefined): string {
  if (/\.ya?ml$/i.test(name)) {
    if (existsSync(name)) return name;
    throw new DebuggerError('message', `no lesson file ${name}`);
  }
  const file = dir ? join(dir, `${name}.yaml`) : undefined;
  if (file && existsSync(file)) return file;
  throw new DebuggerError('message', `no lesson named '${name}' (crashkd learn lists the lessons)`);
}
