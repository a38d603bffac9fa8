import { BlockMemory } from '../memory/virtual-memory.js';
import { RegisterContext } from '../target/registers.js';
import {
  KERNEL_DUMP_KIND_LINES,
  kernelVersionLine,
  sessionTimeText,
  uptimeText,
} from '../target/system-strings.js';
import type { ExecutionUnit, Target } from '../target/target.js';
import { checkContextRegisters, compileMemory, compileModules } from './compile-parts.js';
import { compileUserScenario } from './compile-user-scenario.js';
import { loadScenarioFile, ScenarioError, type Locator } from './load-scenario.js';
import type { KernelScenario, Scenario } from './schema.js';
import type { UserScenario } from './user-schema.js';

function compileProcessor(p: KernelScenario['processors'][number], index: number, locate: Locator): ExecutionUnit {
  checkContextRegisters(p.context, ['processors', index, 'context'], locate);
  return {
    index,
    context: new RegisterContext('x64', p.context, 'processor'),
    irql: p.irql,
    ...(p.prcb === undefined ? {} : { prcb: p.prcb }),
    ...(p.pcr === undefined ? {} : { pcr: p.pcr }),
    ...(p.thread === undefined ? {} : { thread: p.thread }),
    ...(p.process === undefined ? {} : { process: p.process }),
  };
}

/** Compiles a validated scenario into the Target contract real dumps implement. */
export function compileScenario(s: Scenario, locate: Locator, path: string): Target {
  return s.target.kind === 'user' ? compileUserScenario(s as UserScenario, locate, path) : compileKernelScenario(s as KernelScenario, locate, path);
}

function compileKernelScenario(s: KernelScenario, locate: Locator, path: string): Target {
  const blocks = compileMemory(s.memory, locate);
  const { modules, headers } = compileModules(s.modules, blocks, locate, (image) => `\\SystemRoot\\system32\\DRIVERS\\${image}`);
  if (s.currentProcessor >= s.processors.length) throw new ScenarioError(`${locate(['currentProcessor'])}: no processor ${s.currentProcessor}`);
  const t = s.target;
  const units = s.processors.map((p, i) => compileProcessor(p, i, locate));
  return {
    kind: 'kernel',
    arch: 'x64',
    pointerSize: 8,
    path,
    dumpKindLine: KERNEL_DUMP_KIND_LINES[t.dumpType],
    memory: new BlockMemory([...blocks, ...headers]),
    modules,
    units,
    initialUnit: s.currentProcessor,
    system: {
      versionLine: kernelVersionLine(t.build, t.servicePack, units.length, 'x64'),
      ...(t.suite ? { productLine: `Product: ${t.productType}, suite: ${t.suite}` } : { productLine: `Product: ${t.productType}` }),
      ...(t.buildLab ? { buildLine: `Built by: ${t.buildLab}` } : {}),
      ...(t.kernelBase === undefined ? {} : { kernelBase: t.kernelBase }),
      ...(t.psLoadedModuleList === undefined ? {} : { psLoadedModuleList: t.psLoadedModuleList }),
      debugSessionTime: sessionTimeText(Date.parse(t.sessionTime), t.utcOffsetMinutes),
      ...(t.uptimeMs === undefined ? {} : { systemUptime: uptimeText(t.uptimeMs) }),
      buildNumber: t.build,
    },
    ...(s.bugCheck ? { bugCheck: { code: s.bugCheck.code, parameters: s.bugCheck.parameters } } : {}),
    warnings: [],
  };
}

/** Loads and compiles a scenario file; errors are located ScenarioErrors. */
export function openScenario(path: string): Target {
  const { scenario, locate } = loadScenarioFile(path);
  return compileScenario(scenario, locate, path);
}
