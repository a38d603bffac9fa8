import { z } from 'zod';
import type { UserScenario } from './user-schema.js';

/**
 * The scenario format: facts about a target (registers, memory, modules, symbols, unwind data),
 * never command output. Documented in docs/scenarios.md. Integers are read as BigInt by the
 * loader; addresses may also be strings in WinDbg's form (`fffff880`06e53328`).
 */

const ADDRESS_TEXT = /^(0x)?[0-9a-fA-F]{1,8}(`?[0-9a-fA-F]{8})?$/;

/** A 64-bit value: a YAML integer (any base) or a hex string with optional backtick. */
export const value64 = z.union([
  z.bigint().refine((v) => v >= 0n && v < 1n << 64n, 'value does not fit in 64 bits'),
  z
    .string()
    .regex(ADDRESS_TEXT, 'expected a hex address like fffff880`06e53328 or 0xfffff88006e53328')
    .transform((s) => BigInt(`0x${s.replace(/^0x/, '').replace('`', '')}`)),
]);

/** A small non-negative integer (offsets, sizes, counts). */
export const small = (max: number) =>
  z.union([z.bigint(), z.number().int()]).transform((v) => Number(v)).pipe(z.number().int().min(0).max(max));

/** Register names to values (validated by the compiler, which knows the record kind). */
export const registers = z.record(z.string(), value64);

const unwindOp = z
  .string()
  .regex(
    /^(push (r[a-z0-9]+)|alloc (0x[0-9a-f]+|\d+)|setfp (rbp|rbx|rsi|rdi|r1[2-5]) (0x[0-9a-f]+|\d+)|save (r[a-z0-9]+) (0x[0-9a-f]+|\d+)|savexmm (xmm\d+) (0x[0-9a-f]+|\d+)|machframe( errcode)?)$/i,
    'unknown unwind op (expected push REG, alloc N, setfp REG N, save REG N, savexmm XMMn N, machframe [errcode])',
  );

/** A function with unwind data: compiled into `.pdata` and UNWIND_INFO inside the module. */
const fn = z
  .object({
    /** Start: a public symbol of the module, or an rva. */
    begin: z.union([z.string(), small(0xffffffff)]),
    size: small(0xffffffff),
    /** Prolog operations in execution order. */
    prolog: z.array(unwindOp).default([]),
    /** Start (symbol or rva) of the function whose unwind info this chunk chains to. */
    chain: z.union([z.string(), small(0xffffffff)]).optional(),
  })
  .strict();

const publicSymbol = z
  .object({
    name: z.string().min(1),
    rva: small(0xffffffff),
    /** Length in bytes when known; a sized symbol only names addresses it contains. */
    size: small(0xffffffff).optional(),
  })
  .strict();

/** A loaded module with its symbols and unwind data (kernel and user scenarios alike). */
export const moduleSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'module names are letters, digits, _ . -'),
    image: z.string().min(1),
    path: z.string().optional(),
    base: value64,
    size: small(0x7fffffff),
    timestamp: small(0xffffffff).default(0),
    checksum: small(0xffffffff).default(0),
    /** How symbols load: full PDB, export symbols only, or none (decides lm and the load message). */
    symbols: z.enum(['pdb', 'export', 'none']),
    publics: z.array(publicSymbol).default([]),
    functions: z.array(fn).default([]),
  })
  .strict();

const processor = z
  .object({
    prcb: value64.optional(),
    pcr: value64.optional(),
    thread: value64.optional(),
    process: value64.optional(),
    /** IRQL saved when the debugger took over (`!irql`). */
    irql: small(31).default(0),
    /** Register values; absent registers are zero (a processor that saved nothing is all zero). */
    context: registers.default({}),
  })
  .strict();

/** One block of readable virtual memory. */
export const memoryBlock = z
  .object({
    address: value64,
    /** Hex bytes, blanks allowed: `f3 90 8b 83`. */
    bytes: z.string().regex(/^[0-9a-fA-F\s]*$/, 'bytes must be hex digits').optional(),
    /** Little-endian 64-bit values laid out one after another. */
    qwords: z.array(value64).optional(),
    /** A KTRAP_FRAME (0x190 bytes) holding these fields; the rest zero (docs/scenarios.md). */
    trapFrame: registers.optional(),
    /** A CONTEXT record (0x4d0 bytes) holding these registers, for `.cxr`. */
    context: registers.optional(),
    /** A NUL-terminated ASCII string. */
    ascii: z.string().optional(),
    /** A NUL-terminated UTF-16LE string. */
    utf16: z.string().optional(),
  })
  .strict()
  .refine(
    (b) => [b.bytes, b.qwords, b.trapFrame, b.context, b.ascii, b.utf16].filter((v) => v !== undefined).length === 1,
    'a memory block needs exactly one of bytes, qwords, trapFrame, context, ascii or utf16',
  );

/** The whole scenario file of a kernel target (`target.kind: kernel`). */
export const scenarioSchema = z
  .object({
    scenario: z.string().min(1),
    description: z.string().optional(),
    target: z
      .object({
        kind: z.literal('kernel'),
        arch: z.literal('x64'),
        dumpType: z.enum(['complete', 'kernel', 'bitmap-kernel', 'bitmap-complete', 'triage']),
        build: small(100000),
        servicePack: small(9).default(0),
        productType: z.string().default('WinNt'),
        suite: z.string().default(''),
        buildLab: z.string().optional(),
        kernelBase: value64.optional(),
        psLoadedModuleList: value64.optional(),
        /** Debug session time as an ISO-8601 UTC instant plus the machine's offset from UTC. */
        sessionTime: z.string().datetime({ offset: true }),
        utcOffsetMinutes: z.union([z.bigint(), z.number().int()]).transform((v) => Number(v)).pipe(z.number().int().min(-720).max(840)).default(0),
        uptimeMs: small(Number.MAX_SAFE_INTEGER).optional(),
      })
      .strict(),
    bugCheck: z
      .object({ code: value64, parameters: z.tuple([value64, value64, value64, value64]) })
      .strict()
      .optional(),
    /** The processor that bug-checked; the first prompt shows it. */
    currentProcessor: small(63).default(0),
    processors: z.array(processor).min(1).max(64),
    modules: z.array(moduleSchema).default([]),
    memory: z.array(memoryBlock).default([]),
  })
  .strict();

/** A validated kernel scenario. */
export type KernelScenario = z.output<typeof scenarioSchema>;
/** A validated module entry. */
export type ScenarioModule = z.output<typeof moduleSchema>;
/** A validated memory entry. */
export type ScenarioMemory = z.output<typeof memoryBlock>;
/** A validated function entry. */
export type ScenarioFunction = ScenarioModule['functions'][number];
/** A validated scenario of either kind; `target.kind` tells them apart. */
export type Scenario = KernelScenario | UserScenario;
