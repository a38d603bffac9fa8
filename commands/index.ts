import type { CommandSpec } from '../src/repl/command.js';
import { irqlCommand } from './bang-irql.js';
import { bugcheckCommand } from './bugcheck.js';
import { clsCommand } from './cls.js';
import { displayMemoryCommand } from './display-memory.js';
import { cxrCommand } from './dot-cxr.js';
import { frameCommand } from './dot-frame.js';
import { trapCommand } from './dot-trap.js';
import { stackCommand } from './k.js';
import { lmCommand } from './lm.js';
import { lnCommand } from './ln.js';
import { unassembleBackCommand, unassembleCommand, unassembleFunctionCommand } from './unassemble.js';
import { vertargetCommand } from './vertarget.js';
import { echoCommand } from './echo.js';
import { evaluateCommand } from './evaluate.js';
import { formatsCommand } from './formats.js';
import { helpCommand } from './help.js';
import { logAppendCommand, logCloseCommand, logOpenCommand } from './log.js';
import { quitCommand } from './quit.js';
import { radixCommand } from './radix.js';
import { registersCommand } from './registers.js';
import { analyzeCommand } from './analyze.js';
import { bangSymCommand, symoptCommand } from './bang-sym.js';
import { reloadCommand } from './reload.js';
import { scriptCommand } from './script.js';
import { symfixCommand, symfixPlusCommand } from './symfix.js';
import { sympathCommand, sympathPlusCommand } from './sympath.js';
import { xCommand } from './x.js';
import { searchCommand } from './search-memory.js';
import { tildeCommand } from './tilde.js';
import { versionCommand } from './version.js';

/** Every command, in `.help` order. Adding a command is adding its module here. */
export const COMMANDS: readonly CommandSpec[] = [
  stackCommand,
  registersCommand,
  trapCommand,
  cxrCommand,
  frameCommand,
  unassembleCommand,
  unassembleBackCommand,
  unassembleFunctionCommand,
  displayMemoryCommand,
  searchCommand,
  lmCommand,
  lnCommand,
  xCommand,
  sympathCommand,
  sympathPlusCommand,
  symfixCommand,
  symfixPlusCommand,
  reloadCommand,
  bangSymCommand,
  symoptCommand,
  irqlCommand,
  analyzeCommand,
  bugcheckCommand,
  vertargetCommand,
  evaluateCommand,
  formatsCommand,
  radixCommand,
  tildeCommand,
  echoCommand,
  scriptCommand,
  logOpenCommand,
  logAppendCommand,
  logCloseCommand,
  versionCommand,
  clsCommand,
  quitCommand,
  helpCommand(() => COMMANDS),
] as readonly CommandSpec[];
