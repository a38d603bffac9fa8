import { CONTEXT_X64_SIZE, decodeContextX64 } from '../../formats/kdump/context-x64.js';
import type { DecodedContext } from '../../formats/kdump/context-x64.js';
import type { VirtualMemory } from '../../memory/virtual-memory.js';
import { readUnsigned } from '../../memory/virtual-memory.js';
import { RegisterContext } from '../registers.js';
import type { ExecutionUnit } from '../target.js';
import type { KernelOffsets } from './build-offsets.js';

/** Inputs for building the processor list. */
export interface ProcessorInputs {
  readonly memory: VirtualMemory;
  readonly count: number;
  /** VA of KiProcessorBlock (from KDBG), when known. */
  readonly kiProcessorBlock?: bigint;
  readonly offsets?: KernelOffsets;
  /** DUMP_HEADER64.ContextRecord, decoded. */
  readonly headerContext: DecodedContext;
  /** DUMP_HEADER64.Exception.ExceptionAddress. */
  readonly exceptionAddress: bigint;
  /** Triage dumps: KPRCB.Number of the stored PRCB copy (the bug-check processor). */
  readonly triageProcessor?: number;
  readonly isTriage: boolean;
}

/** The processors and which of them bug-checked. */
export interface ProcessorList {
  readonly units: readonly ExecutionUnit[];
  readonly initialUnit: number;
}

interface Probe {
  prcb?: bigint;
  pcr?: bigint;
  thread?: bigint;
  process?: bigint;
  irql?: number;
  context?: DecodedContext;
}

/** A CONTEXT at `address` when at least its integer part is readable and not all zero. */
function contextAt(memory: VirtualMemory, address: bigint): DecodedContext | undefined {
  if (address === 0n) return undefined;
  const bytes = memory.readPartial(address, CONTEXT_X64_SIZE);
  if (bytes.length < 0x100) return undefined;
  const c = decodeContextX64(bytes);
  return c.isZero ? undefined : c;
}

function nonZero(v: bigint | undefined): bigint | undefined {
  return v === undefined || v === 0n ? undefined : v;
}

/**
 * Reads KPRCB i via KiProcessorBlock. Context order (formats.md 2.4): *KPRCB.Context first (on
 * Win10 it is the KeBugCheckEx / freeze context that reproduces WinDbg's `k`), then
 * KPRCB.ProcessorState.ContextFrame (older kernels; all zero on 19041).
 */
function probe(inp: ProcessorInputs, i: number): Probe {
  const o = inp.offsets;
  if (inp.kiProcessorBlock === undefined || !o) return {};
  const prcb = nonZero(readUnsigned(inp.memory, inp.kiProcessorBlock + BigInt(i) * 8n, 8));
  if (prcb === undefined) return {};
  const p: Probe = { prcb, pcr: prcb - BigInt(o.pcrPrcb) };
  const thread = nonZero(readUnsigned(inp.memory, prcb + BigInt(o.prcbCurrentThread), 8));
  if (thread !== undefined) {
    p.thread = thread;
    const process = o.kthreadApcProcess !== undefined ? nonZero(readUnsigned(inp.memory, thread + BigInt(o.kthreadApcProcess), 8)) : undefined;
    if (process !== undefined) p.process = process;
  }
  if (o.prcbDebuggerSavedIrql !== undefined) {
    const irql = readUnsigned(inp.memory, prcb + BigInt(o.prcbDebuggerSavedIrql), 1);
    if (irql !== undefined) p.irql = Number(irql);
  }
  const ptr = o.prcbContext !== undefined ? readUnsigned(inp.memory, prcb + BigInt(o.prcbContext), 8) : undefined;
  const context = (ptr !== undefined ? contextAt(inp.memory, ptr) : undefined) ?? contextAt(inp.memory, prcb + BigInt(o.prcbProcStateContext));
  if (context) p.context = context;
  return p;
}

/**
 * Picks the bug-check processor. The header has no field for it (formats.md 2.4, UNVERIFIED as
 * WinDbg's rule): triage dumps name it through their PRCB copy; otherwise the processor whose
 * saved context matches the header context, then the one stopped at the exception address, else 0.
 */
function pickInitial(inp: ProcessorInputs, probes: readonly Probe[]): number {
  if (inp.triageProcessor !== undefined && inp.triageProcessor < inp.count) return inp.triageProcessor;
  const h = inp.headerContext.values;
  const byHeader = probes.findIndex((p) => p.context && p.context.values['rsp'] === h['rsp'] && p.context.values['rip'] === h['rip']);
  if (byHeader >= 0 && !inp.headerContext.isZero) return byHeader;
  if (inp.exceptionAddress !== 0n) {
    const byException = probes.findIndex((p) => p.context?.values['rip'] === inp.exceptionAddress);
    if (byException >= 0) return byException;
  }
  return 0;
}

function noteFor(inp: ProcessorInputs, i: number, p: Probe): string {
  if (inp.isTriage) return `This mini kernel dump holds no register context for processor ${i}.`;
  if (inp.kiProcessorBlock === undefined || !inp.offsets) return `Processor ${i}'s registers are unknown: the dump's KDDEBUGGER_DATA64 (KiProcessorBlock) is not readable.`;
  if (p.prcb === undefined) return `Processor ${i}'s registers are unknown: its KPRCB is not in the dump.`;
  return `Processor ${i}'s saved register context is not in the dump.`;
}

/** Builds one ExecutionUnit per processor; processors without a saved context get zeros and a note. */
export function buildProcessors(inp: ProcessorInputs): ProcessorList {
  const probes: Probe[] = [];
  for (let i = 0; i < inp.count; i++) probes.push(probe(inp, i));
  const initialUnit = pickInitial(inp, probes);
  // The header context stands in for the bug-check processor when its KPRCB gave none.
  const initialProbe = probes[initialUnit];
  if (initialProbe && !initialProbe.context && !inp.headerContext.isZero) initialProbe.context = inp.headerContext;
  const units = probes.map((p, index): ExecutionUnit => {
    const context = new RegisterContext('x64', p.context?.values ?? {}, 'processor');
    return {
      index,
      context,
      ...(p.prcb !== undefined ? { prcb: p.prcb } : {}),
      ...(p.pcr !== undefined ? { pcr: p.pcr } : {}),
      ...(p.thread !== undefined ? { thread: p.thread } : {}),
      ...(p.process !== undefined ? { process: p.process } : {}),
      ...(p.irql !== undefined ? { irql: p.irql } : {}),
      ...(p.context ? {} : { contextNote: noteFor(inp, index, p) }),
    };
  });
  return { units, initialUnit };
}
