import type { CommandSpec } from '../src/repl/command.js';
import { clsCommand } from './cls.js';
import { echoCommand } from './echo.js';
import { evaluateCommand } from './evaluate.js';
import { formatsCommand } from './formats.js';
import { helpCommand } from './help.js';
import { logAppendCommand, logCloseCommand, logOpenCommand } from './log.js';
import { quitCommand } from './quit.js';
import { radixCommand } from './radix.js';
import { registersCommand } from './registers.js';
import { scriptCommand } from './script.js';
import { tildeCommand } from './tilde.js';
import { versionCommand } from './version.js';

/** Every command, in `.help` order. Adding a command is adding its module here. */
export const COMMANDS: readonly CommandSpec[] = [
  evaluateCommand,
  formatsCommand,
  radixCommand,
  registersCommand,
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
