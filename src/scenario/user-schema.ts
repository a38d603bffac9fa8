import { z } from 'zod';
import { memoryBlock, moduleSchema, registers, small, value64 } from './schema.js';

/**
 * The scenario format of a user-mode target (`target.kind: user`): one process, its threads and
 * the exception stored in the dump, compiled into the same shape a minidump has. Modules and memory
 * are written exactly as in kernel scenarios. Documented in docs/scenarios.md ("User-mode scenarios").
 */

const intIn = (min: number, max: number) =>
  z.union([z.bigint(), z.number().int()]).transform((v) => Number(v)).pipe(z.number().int().min(min).max(max));

/** EXCEPTION_MAXIMUM_PARAMETERS: an EXCEPTION_RECORD holds at most 15. */
const MAX_EXCEPTION_PARAMETERS = 15;

const thread = z
  .object({
    /** OS thread id (`~` shows it after the process id: `1f2c.2a10`). */
    id: small(0xffffffff),
    /** Thread environment block address (`~`, `!teb`, `$teb`). */
    teb: value64.default(0n),
    suspendCount: small(0xffffffff).default(0),
    /** The thread's registers when the dump was written; absent registers are zero. */
    context: registers.default({}),
  })
  .strict();

const exception = z
  .object({
    /** Id of the thread that raised it (one of `threads`). */
    thread: small(0xffffffff),
    /** NTSTATUS code: `0xc0000005` is an access violation. */
    code: small(0xffffffff),
    flags: small(0xffffffff).default(0),
    /** Address of a chained EXCEPTION_RECORD, 0 for none. */
    record: value64.default(0n),
    /** Address of the instruction that raised the exception. */
    address: value64,
    /** ExceptionInformation: for c0000005, [0 read | 1 write | 8 execute, address accessed]. */
    parameters: z.array(value64).max(MAX_EXCEPTION_PARAMETERS).default([]),
    /** Registers at the exception (what `.ecxr` switches to); without it `.ecxr` has nothing to show. */
    context: registers.optional(),
  })
  .strict();

/** The whole scenario file of a user-mode target. */
export const userScenarioSchema = z
  .object({
    scenario: z.string().min(1),
    description: z.string().optional(),
    target: z
      .object({
        kind: z.literal('user'),
        arch: z.literal('x64'),
        /** `mini` (registers, stacks, some memory) or `full` (`.dump /ma`): picks the banner's dump-kind line. */
        dumpType: z.enum(['mini', 'full']).default('mini'),
        build: small(100000),
        servicePack: small(9).default(0),
        productType: z.enum(['WinNt', 'LanManNt', 'ServerNt']).default('WinNt'),
        /** Suite names separated by blanks (`SingleUserTS`, `TerminalServer SingleUserTS`). */
        suite: z.string().default(''),
        buildLab: z.string().optional(),
        /** Processors of the machine (the version line's `MP (4 procs)`). */
        processorCount: intIn(1, 2048).default(1),
        /** When the dump was written, as an ISO-8601 instant; WinDbg shows it in whole seconds. */
        sessionTime: z.string().datetime({ offset: true }),
        utcOffsetMinutes: intIn(-720, 840).default(0),
        /** How long the process had run when the dump was written (`Process Uptime:`). */
        processUptimeSeconds: small(0xffffffff).optional(),
      })
      .strict(),
    process: z
      .object({
        id: small(0xffffffff),
        /** Image name of the module that is the executable (`contoso-viewer.exe`); `|` and `!analyze` show it. */
        image: z.string().min(1),
      })
      .strict(),
    exception: exception.optional(),
    threads: z.array(thread).min(1).max(4096),
    modules: z.array(moduleSchema).default([]),
    memory: z.array(memoryBlock).default([]),
  })
  .strict();

/** A validated user-mode scenario. */
export type UserScenario = z.output<typeof userScenarioSchema>;
/** A validated thread entry. */
export type ScenarioThread = UserScenario['threads'][number];
