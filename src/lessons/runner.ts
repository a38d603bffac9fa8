import type { CommandEvent, Dispatcher } from '../repl/dispatcher.js';
import type { DumpSession } from '../session/dump-session.js';
import { setActiveLesson } from './active-lesson.js';
import { answerText, asksQuestion, checkHolds, leavesSatisfiedBy } from './evaluate.js';
import { completeLines, hintLine, introductionLines, passedLines, plural, statusText, stepLines, type StepCounts } from './lesson-text.js';
import type { LessonProgress, ProgressStore } from './progress.js';
import { transcriptOf } from './transcript-recorder.js';
import type { Lesson, LessonStep } from './types.js';

/** The last thing the lesson told the student (the panel shows it; plain mode prints it). */
export interface Feedback {
  readonly kind: 'passed' | 'wrong' | 'info';
  /** Everything to print (plain mode), the next step included. */
  readonly lines: readonly string[];
  /** What the panel shows (it shows the current step itself). */
  readonly panel: readonly string[];
}

/** An immutable picture of the lesson for views; a new object after every change. */
export interface LessonView {
  readonly lesson: Lesson;
  /** Index of the current step; `steps.length` once complete. */
  readonly index: number;
  readonly step: LessonStep | undefined;
  /** Hints shown for the current step. */
  readonly hintsShown: number;
  readonly counts: StepCounts;
  readonly complete: boolean;
  readonly feedback: Feedback | undefined;
}

/** A step that passed: which command passed it, and how much transcript preceded it. */
export interface StepPass {
  readonly index: number;
  readonly step: LessonStep;
  /** The command text whose event completed the check. */
  readonly by: string;
  /** Transcript entries recorded when it passed (the handout puts the explanation after them). */
  readonly entry: number;
}

/** Commands that drive the lesson itself: never evidence for a step. */
const NAVIGATION = new Set(['.lesson', '.hint', '.skip', '.back', '.transcript']);

/**
 * The lesson state machine: current step, hints shown, passed and skipped steps. It watches the
 * dispatcher's command events; a step passes when its check holds after a command run while the
 * step is current. Progress is saved after every change when a store is given.
 */
export class LessonRunner {
  private index = 0;
  private readonly hints = new Map<string, number>();
  private readonly passed = new Set<string>();
  private readonly skipped = new Set<string>();
  private latched = new Set<number>();
  /** Set when a nested command passed a step: ignore events until its top-level command ends. */
  private settling = false;
  private feedback: Feedback | undefined;
  private view: LessonView;
  private readonly listeners = new Set<() => void>();
  private readonly feedbackListeners = new Set<(f: Feedback) => void>();
  /** Passes in this session, in order. */
  readonly passes: StepPass[] = [];

  constructor(
    readonly lesson: Lesson,
    readonly session: DumpSession,
    private readonly store?: ProgressStore,
    saved?: LessonProgress,
  ) {
    if (saved) this.restore(saved);
    this.view = this.makeView();
  }

  /** Whether the runner resumed saved progress with something done. */
  get resumed(): boolean {
    return this.passed.size + this.skipped.size > 0 || this.index > 0;
  }

  private restore(p: LessonProgress): void {
    const ids = new Set(this.lesson.steps.map((s) => s.id));
    for (const id of p.passed) if (ids.has(id)) this.passed.add(id);
    for (const id of p.skipped) if (ids.has(id) && !this.passed.has(id)) this.skipped.add(id);
    for (const [id, n] of Object.entries(p.hints)) {
      const step = this.lesson.steps.find((s) => s.id === id);
      if (step) this.hints.set(id, Math.min(n, step.hints.length));
    }
    const at = p.current === null ? -1 : this.lesson.steps.findIndex((s) => s.id === p.current);
    // A step id that no longer exists (the lesson was edited): resume at the first open step.
    const open = this.lesson.steps.findIndex((s) => !this.passed.has(s.id) && !this.skipped.has(s.id));
    this.index = p.current === null ? this.lesson.steps.length : at >= 0 ? at : open < 0 ? this.lesson.steps.length : open;
  }

  /** Starts watching the dispatcher's commands and serves the lesson commands; returns a detach function. */
  attach(dispatcher: Dispatcher): () => void {
    const observer = (e: CommandEvent) => this.observe(e);
    dispatcher.observers.add(observer);
    const unset = setActiveLesson(dispatcher.session, this);
    return () => {
      dispatcher.observers.delete(observer);
      unset();
    };
  }

  /** The current picture (stable until the next change; for useSyncExternalStore). */
  getView = (): LessonView => this.view;

  /** Calls `listener` after every change; returns an unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Calls `listener` with every feedback (pass, wrong answer); plain mode prints them. */
  onFeedback(listener: (f: Feedback) => void): () => void {
    this.feedbackListeners.add(listener);
    return () => this.feedbackListeners.delete(listener);
  }

  /** Judges one command event against the current step. */
  observe(e: CommandEvent): void {
    if (this.settling) {
      if (e.depth === 0) this.settling = false;
      return;
    }
    if (NAVIGATION.has(e.name)) return;
    const step = this.lesson.steps[this.index];
    const answer = answerText(e);
    if (!step) {
      if (answer !== undefined) this.tell('info', completeLines(this.counts()), []);
      return;
    }
    for (const leaf of leavesSatisfiedBy(step.check, e)) this.latched.add(leaf);
    if (checkHolds(step.check, this.latched, this.session)) {
      this.pass(step, e);
      if (e.depth > 0) this.settling = true;
      return;
    }
    if (answer === undefined) return;
    if (!asksQuestion(step.check)) {
      const note = 'This step is not a question: it passes when you do what it asks.';
      this.tell('info', [note, ...stepLines(step, this.index, this.total)], [note]);
    } else if (leavesSatisfiedBy(step.check, e).length > 0) {
      const note = 'That answer is right, and the step asks for more:';
      this.tell('info', [note, ...stepLines(step, this.index, this.total)], [note]);
    } else {
      const note = `'${answer.trim()}' is not the answer this step is looking for. Try again, or .hint for a hint.`;
      this.tell('wrong', [note], [note]);
    }
  }

  private pass(step: LessonStep, e: CommandEvent): void {
    this.passed.add(step.id);
    this.skipped.delete(step.id);
    this.passes.push({ index: this.index, step, by: e.text, entry: transcriptOf(this.session)?.entries.length ?? 0 });
    this.moveTo(this.index + 1);
    const explanation = passedLines(step);
    this.tell('passed', [...explanation, ...this.currentLines()], explanation);
  }

  /** `.lesson`: the title, the current task, hints shown so far and the status. */
  showTask(): string[] {
    const step = this.lesson.steps[this.index];
    const hints = step ? Array.from({ length: this.hints.get(step.id) ?? 0 }, (_, i) => hintLine(step, i + 1)) : [];
    return [`Lesson: ${this.lesson.title}`, ...this.currentLines(), ...hints, statusText(this.counts())];
  }

  /** The introduction, then the current step (plain mode's first lines). */
  introduction(options: { withStep?: boolean } = {}): string[] {
    const done = this.counts();
    const resume = this.resumed
      ? [`Resuming: ${done.passed} of ${done.total} steps passed, ${plural(done.hintsUsed, 'hint')} used (crashkd learn ${this.lesson.id} --reset starts over).`]
      : [];
    return [...introductionLines(this.lesson), ...resume, ...(options.withStep === false ? [] : this.currentLines())];
  }

  /** `.hint`: the next hint of the current step. */
  hint(): string[] {
    const step = this.lesson.steps[this.index];
    if (!step) return completeLines(this.counts());
    const shown = this.hints.get(step.id) ?? 0;
    if (shown >= step.hints.length) {
      return [`${hintLine(step, step.hints.length)}`, 'That was the last hint for this step; .skip moves on.'];
    }
    this.hints.set(step.id, shown + 1);
    this.changed();
    return [hintLine(step, shown + 1)];
  }

  /** `.skip`: leaves the current step open and moves to the next. */
  skip(): string[] {
    const step = this.lesson.steps[this.index];
    if (!step) return ['Nothing to skip: the lesson is complete (.back returns to the last step).'];
    if (!this.passed.has(step.id)) this.skipped.add(step.id);
    this.moveTo(this.index + 1);
    return [`Skipped step ${this.index}/${this.total}.`, ...this.currentLines()];
  }

  /** `.back`: makes the previous step current again. */
  back(): string[] {
    if (this.index === 0) return ['This is the first step.', ...this.currentLines()];
    this.moveTo(this.index - 1);
    return [`Back to step ${this.index + 1}/${this.total}.`, ...this.currentLines()];
  }

  /** Saved-progress form of the state. */
  progress(): LessonProgress {
    return {
      lesson: this.lesson.id,
      current: this.lesson.steps[this.index]?.id ?? null,
      passed: this.lesson.steps.filter((s) => this.passed.has(s.id)).map((s) => s.id),
      skipped: this.lesson.steps.filter((s) => this.skipped.has(s.id)).map((s) => s.id),
      hints: Object.fromEntries(this.hints),
    };
  }

  /** True when step `id` has passed (now or in a resumed session). */
  hasPassed(id: string): boolean {
    return this.passed.has(id);
  }

  private get total(): number {
    return this.lesson.steps.length;
  }

  private counts(): StepCounts {
    let hintsUsed = 0;
    for (const n of this.hints.values()) hintsUsed += n;
    return { index: this.index, total: this.total, passed: this.passed.size, skipped: this.skipped.size, hintsUsed };
  }

  private currentLines(): string[] {
    const step = this.lesson.steps[this.index];
    return step ? stepLines(step, this.index, this.total) : completeLines(this.counts());
  }

  private moveTo(index: number): void {
    this.index = Math.max(0, Math.min(index, this.total));
    this.latched = new Set();
    this.settling = false;
    this.feedback = undefined;
    this.changed();
  }

  private tell(kind: Feedback['kind'], lines: string[], panel: string[]): void {
    const f: Feedback = { kind, lines, panel };
    this.feedback = f;
    for (const l of this.feedbackListeners) l(f);
    this.changed();
  }

  private changed(): void {
    this.store?.save(this.progress());
    this.view = this.makeView();
    for (const l of this.listeners) l();
  }

  private makeView(): LessonView {
    const step = this.lesson.steps[this.index];
    return {
      lesson: this.lesson,
      index: this.index,
      step,
      hintsShown: step ? (this.hints.get(step.id) ?? 0) : 0,
      counts: this.counts(),
      complete: step === undefined,
      feedback: this.feedback,
    };
  }
}
