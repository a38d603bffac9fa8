import type { Line } from '../repl/output.js';

/** Lines handed to the screen per event-loop turn. */
export const LINES_PER_TICK = 500;

/**
 * Feeds command output to the screen at most `perTick` lines per event-loop turn, so a
 * 100k-line `dps` never blocks the terminal for seconds and a Ctrl+C typed meanwhile is read
 * between two slices and can drop the rest.
 */
export class OutputPump {
  private pending: Line[] = [];
  private head = 0;
  /** Lines emitted in the current turn; the budget resets on the next setImmediate. */
  private spent = 0;
  private tickScheduled = false;
  private disposed = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly emit: (lines: readonly Line[]) => void,
    private readonly perTick: number = LINES_PER_TICK,
  ) {}

  /** Queues lines; the first slice of a turn goes out at once, the rest on later turns. */
  push(lines: readonly Line[]): void {
    if (this.disposed) return;
    // A loop, not push(...lines): spreading 100k arguments overflows the call stack.
    for (const l of lines) this.pending.push(l);
    this.pump();
  }

  /** Lines queued but not yet emitted. */
  get backlog(): number {
    return this.pending.length - this.head;
  }

  /** Forgets every queued line (Ctrl+C). */
  drop(): void {
    this.pending = [];
    this.head = 0;
    this.settle();
  }

  /** Resolves once every queued line has been emitted (or dropped). */
  drained(): Promise<void> {
    if (this.backlog === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops emitting for good (the view is gone). */
  dispose(): void {
    this.disposed = true;
    this.drop();
  }

  private pump(): void {
    if (this.disposed) return;
    const room = this.perTick - this.spent;
    if (room > 0 && this.backlog > 0) {
      const end = Math.min(this.pending.length, this.head + room);
      const slice = this.pending.slice(this.head, end);
      this.spent += slice.length;
      this.head = end;
      if (this.head === this.pending.length) {
        this.pending = [];
        this.head = 0;
      }
      this.emit(slice);
    }
    if (this.spent > 0 && !this.tickScheduled) {
      this.tickScheduled = true;
      setImmediate(() => {
        this.tickScheduled = false;
        this.spent = 0;
        this.pump();
      });
    }
    this.settle();
  }

  private settle(): void {
    if (this.backlog > 0 || this.waiters.length === 0) return;
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}
