import type { Dispatcher } from '../repl/dispatcher.js';
import { openSession, type SessionOptions } from '../session/open-session.js';

/** Open dumps by handle, bounded so a client cannot exhaust the machine. */
export class DumpRegistry {
  private readonly open = new Map<string, Dispatcher>();
  private next = 1;

  constructor(private readonly limit = 16) {}

  /** Opens a dump and returns its handle (`dump-1`, `dump-2`...). */
  async add(path: string, options: SessionOptions): Promise<{ handle: string; dispatcher: Dispatcher }> {
    if (this.open.size >= this.limit) throw new Error(`too many open dumps (${this.limit}); close one with close_dump`);
    const dispatcher = await openSession(path, options);
    const handle = `dump-${this.next++}`;
    this.open.set(handle, dispatcher);
    return { handle, dispatcher };
  }

  /** The dispatcher of a handle, or an error naming the open handles. */
  get(handle: string): Dispatcher {
    const d = this.open.get(handle);
    if (!d) throw new Error(`no open dump '${handle}' (open: ${[...this.open.keys()].join(', ') || 'none'})`);
    return d;
  }

  /** Closes a handle. */
  close(handle: string): boolean {
    return this.open.delete(handle);
  }
}
