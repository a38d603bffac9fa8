import type { CommandSpec } from './command.js';

/**
 * Name -> command table built once from the ordered list in commands/index.ts. Exact names and
 * aliases are looked up case-insensitively; irregular spellings (`kvn`, `lmvm`) fall through
 * to each module's `matches`.
 */
export class Registry {
  private readonly exact = new Map<string, CommandSpec>();

  constructor(readonly commands: readonly CommandSpec[]) {
    for (const c of commands) {
      for (const n of [c.name, ...(c.aliases ?? [])]) {
        const key = n.toLowerCase();
        if (this.exact.has(key)) throw new Error(`duplicate command name '${n}'`);
        this.exact.set(key, c);
      }
    }
  }

  /** The command serving `word`, if any. */
  find(word: string): CommandSpec | undefined {
    const key = word.toLowerCase();
    return this.exact.get(key) ?? this.commands.find((c) => c.matches?.(word));
  }
}
