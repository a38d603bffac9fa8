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
import { displayStringCommand } from './display-string.js';
import { exepathCommand, exepathPlusCommand } from './dot-exepath.js';
import { kframesCommand } from './dot-kframes.js';
import { dotThreadCommand } from './dot-thread.js';
import { LESSON_COMMANDS } from './lesson.js';
import { transcriptCommand } from './transcript.js';
import { pcrCommand } from './bang-pcr.js';
import { pebCommand } from './bang-peb.js';
import { prcbCommand } from './bang-prcb.js';
import { processCommand } from './bang-process.js';
import { pteCommand } from './bang-pte.js';
import { tebCommand } from './bang-teb.js';
import { threadCommand } from './bang-thread.js';
import { ecxrCommand } from './ecxr.js';
import { exrCommand } from './exr.js';
import { lastEventCommand } from './lastevent.js';
import { pipeCommand } from './pipe.js';
import { ALIAS_COMMANDS } from './aliases.js';
import { CONTROL_FLOW_COMMANDS } from './control-flow.js';
import { printfCommand } from './printf.js';
import { echoTimeCommand, timeCommand } from './time.js';
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
  dotThreadCommand,
  unassembleCommand,
  unassembleBackCommand,
  unassembleFunctionCommand,
  displayMemoryCommand,
  displayStringCommand,
  searchCommand,
  lmCommand,
  lnCommand,
  xCommand,
  sympathCommand,
  sympathPlusCommand,
  symfixCommand,
  symfixPlusCommand,
  reloadCommand,
  exepathCommand,
  exepathPlusCommand,
  kframesCommand,
  bangSymCommand,
  symoptCommand,
  irqlCommand,
  analyzeCommand,
  pcrCommand,
  prcbCommand,
  threadCommand,
  processCommand,
  pteCommand,
  pipeCommand,
  lastEventCommand,
  ecxrCommand,
  exrCommand,
  tebCommand,
  pebCommand,
  bugcheckCommand,
  vertargetCommand,
  evaluateCommand,
  formatsCommand,
  radixCommand,
  tildeCommand,
  echoCommand,
  printfCommand,
  scriptCommand,
  ...CONTROL_FLOW_COMMANDS,
  ...ALIAS_COMMANDS,
  echoTimeCommand,
  timeCommand,
  logOpenCommand,
  logAppendCommand,
  logCloseCommand,
  versionCommand,
  clsCommand,
  ...LESSON_COMMANDS,
  transcriptCommand,
  quitCommand,
  helpCommand(() => COMMANDS),
] as readonly CommandSpec[];
