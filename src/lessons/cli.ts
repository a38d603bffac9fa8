import { DebuggerError } from '../errors.js';
import { openingBanner } from '../format/banner.js';
import { splitCommands } from '../repl/line-parser.js';
import { findLessonFile, lessonsDir, listLessons, type CatalogEntry } from './catalog.js';
import { runInteractiveLesson, runPlainLesson, stdinLines } from './learn.js';
import { checkLesson } from './lesson-check.js';
import { openLessonSession } from './lesson-session.js';
import { loadLessonFile } from './load-lesson.js';
import { ProgressStore } from './progress.js';
import { checkScenarioFile } from './scenario-check.js';

const LEARN_HELP = `usage: crashkd learn [LESSON] [--reset] [-c "cmds"] [--plain]

Without LESSON, lists the lessons with your progress. With a lesson id (or a lesson .yaml
file), opens its scenario with the lesson shown above the prompt; progress is saved and
resumed next time. In the lesson: .lesson, .hint, .answer TEXT, .skip, .back,
.transcript save FILE.md.

options:
  --reset      forget saved progress (of LESSON, or of every lesson) and start over
  -c "cmds"    run these commands first (separated by ;); implies --plain
  --plain      text only: the task and feedback print as lines (no panel)

environment:
  CRASHKD_CONFIG_DIR   where progress is saved (default: the platform's config folder)
  CRASHKD_LESSONS_DIR  the lessons folder (default: the one shipped with crashkd)
`;

interface LearnArgs {
  readonly name?: string;
  readonly reset: boolean;
  readonly plain: boolean;
  readonly commands?: string;
  readonly help: boolean;
}

function parseLearnArgs(argv: readonly string[]): LearnArgs {
  const o: { name?: string; reset: boolean; plain: boolean; commands?: string; help: boolean } = { reset: false, plain: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--reset') o.reset = true;
    else if (a === '--plain') o.plain = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else if (a === '-c') {
      const v = argv[++i];
      if (v === undefined) throw new DebuggerError('usage', "option '-c' needs a value");
      o.commands = v;
    } else if (a.startsWith('-')) throw new DebuggerError('usage', `unknown option '${a}' (see crashkd learn --help)`);
    else if (o.name !== undefined) throw new DebuggerError('usage', `unexpected argument '${a}' (one lesson at a time)`);
    else o.name = a;
  }
  return o;
}

function progressText(e: Extract<CatalogEntry, { lesson: unknown }>): string {
  if (e.current === null) return 'done';
  if (!e.started) return 'new';
  return `${e.passed}/${e.lesson.steps.length}`;
}

/** The `crashkd learn` listing. */
export function catalogLines(dir: string, entries: readonly CatalogEntry[]): string[] {
  const lines = [`Lessons in ${dir}:`, ''];
  const width = Math.max(0, ...entries.map((e) => ('lesson' in e ? e.lesson.id.length : 0)));
  for (const e of entries) {
    if ('error' in e) lines.push(`  ${e.error}`);
    else lines.push(`  ${e.lesson.id.padEnd(width)}  ${e.lesson.level.padEnd(12)}  ${progressText(e).padEnd(5)}  ${e.lesson.title}`);
  }
  if (entries.length === 0) lines.push('  (none)');
  lines.push('', 'crashkd learn LESSON starts or resumes a lesson; --reset starts it over.');
  return lines;
}

const fail = (message: string, code = 2): number => {
  process.stderr.write(`crashkd: ${message.replace(/^crashkd: /, '')}\n`);
  return code;
};

/** `crashkd learn [LESSON] [--reset] [-c cmds] [--plain]`; returns the exit code. */
export async function learnMain(argv: readonly string[]): Promise<number> {
  let args: LearnArgs;
  try {
    args = parseLearnArgs(argv);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (args.help) {
    process.stdout.write(LEARN_HELP);
    return 0;
  }
  const store = new ProgressStore();
  const dir = lessonsDir();
  if (args.name === undefined) {
    if (args.reset) {
      store.resetAll();
      process.stdout.write('Progress of every lesson forgotten.\n');
      return 0;
    }
    if (!dir) return fail('no lessons folder found (set CRASHKD_LESSONS_DIR)');
    process.stdout.write(`${catalogLines(dir, listLessons(dir, store)).join('\n')}\n`);
    return 0;
  }
  try {
    const lesson = loadLessonFile(findLessonFile(args.name, dir));
    if (args.reset) store.reset(lesson.id);
    const saved = store.load(lesson.id);
    const { dispatcher, runner } = await openLessonSession(lesson, { store, ...(saved ? { saved } : {}) });
    const banner = openingBanner(dispatcher.session);
    dispatcher.session.log(banner.join('\n') + '\n');
    const first = args.commands === undefined ? [] : splitCommands(args.commands).map((c) => c.text);
    const plain = args.plain || args.commands !== undefined || !process.stdout.isTTY || !process.stdin.isTTY;
    if (!plain) return await runInteractiveLesson(dispatcher, runner, banner, first);
    const input = stdinLines();
    try {
      await runPlainLesson(dispatcher, runner, banner, first, input, (t) => process.stdout.write(t));
    } finally {
      input.close();
    }
    return 0;
  } catch (e) {
    if (e instanceof DebuggerError) return fail(e.message);
    throw e;
  }
}

/** `crashkd lesson check FILE...`: runs each lesson's solution; exit 1 when a step stays open. */
export async function lessonMain(argv: readonly string[]): Promise<number> {
  const [verb, ...files] = argv;
  if (verb !== 'check' || files.length === 0) return fail('usage: crashkd lesson check LESSON.yaml...');
  let ok = true;
  for (const file of files) {
    const report = await checkLesson(file);
    process.stdout.write(`${report.lines.join('\n')}\n`);
    ok &&= report.ok;
  }
  return ok ? 0 : 1;
}

/** `crashkd scenario check FILE...`: validation and consistency; exit 1 on problems. */
export async function scenarioMain(argv: readonly string[]): Promise<number> {
  const [verb, ...files] = argv;
  if (verb !== 'check' || files.length === 0) return fail('usage: crashkd scenario check SCENARIO.yaml...');
  let ok = true;
  for (const file of files) {
    const report = checkScenarioFile(file);
    const text = [...report.findings.map((f) => f.text), report.summary];
    process.stdout.write(`${text.join('\n')}\n`);
    ok &&= report.ok;
  }
  return ok ? 0 : 1;
}
