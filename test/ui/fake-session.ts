import { COMMANDS } from '../../commands/index.js';
import { defineCommand, type CommandSpec } from '../../src/repl/command.js';
import { Dispatcher } from '../../src/repl/dispatcher.js';
import { out, type Line } from '../../src/repl/output.js';
import { Registry } from '../../src/repl/registry.js';
import { DumpSession } from '../../src/session/dump-session.js';
import { BlockMemory } from '../../src/memory/virtual-memory.js';
import { RegisterContext } from '../../src/target/registers.js';
import type { ExecutionUnit, Target } from '../../src/target/target.js';

const RIP = 0xfffff80003aab937n;

/** A two-processor x64 kernel target with a page of code at rip and no modules. */
export function fakeTarget(): Target {
  const units: ExecutionUnit[] = [0, 1].map((index) => ({
    index,
    context: new RegisterContext('x64', { rip: RIP, rsp: 0xfffff80000b9cc88n, rax: BigInt(index), efl: 0x246n, cs: 0x10n, ss: 0x18n }),
  }));
  return {
    kind: 'kernel',
    arch: 'x64',
    pointerSize: 8,
    path: 'fake.dmp',
    dumpKindLine: 'Kernel Complete Dump File: Full address space is available',
    memory: new BlockMemory([{ base: RIP & ~0xfffn, bytes: new Uint8Array(0x1000).fill(0x90) }]),
    modules: [],
    units,
    initialUnit: 0,
    system: { versionLine: 'Windows 7 Kernel Version 7601 MP (2 procs) Free x64', buildNumber: 7601 },
    warnings: [],
  };
}

/**
 * `slow N`: N lines, one per macrotask, checking the abort signal between lines the way a
 * well-behaved long command does. `seen` records how many lines it produced before stopping.
 */
export function slowCommand(seen: { count: number; stopped: boolean }): CommandSpec {
  return defineCommand({
    name: 'slow',
    summary: 'test only',
    usage: 'slow N',
    parse: (inv) => Number(inv.rest.trim() || '100'),
    async run(n, { signal }) {
      const lines: Line[] = [];
      for (let i = 0; i < n; i++) {
        if (signal.aborted) {
          seen.stopped = true;
          break;
        }
        lines.push(out(`slow line ${i}`));
        seen.count = i + 1;
        await new Promise((r) => setTimeout(r, 2));
      }
      return lines;
    },
    format: (lines) => lines,
  }) as CommandSpec;
}

/** `many N`: N lines at once, to exercise chunked printing. */
export const manyCommand = defineCommand({
  name: 'many',
  summary: 'test only',
  usage: 'many N',
  parse: (inv) => Number(inv.rest.trim()),
  run: (n) => Array.from({ length: n }, (_, i) => out(`many line ${i}`)),
  format: (lines) => lines,
}) as CommandSpec;

/** A dispatcher over the fake target with the real commands plus any extra ones. */
export function fakeDispatcher(extra: readonly CommandSpec[] = []): Dispatcher {
  const session = new DumpSession(fakeTarget(), () => ({ frames: [] }));
  return new Dispatcher(new Registry([...COMMANDS, ...extra]), session);
}
