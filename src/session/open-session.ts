import { COMMANDS } from '../../commands/index.js';
import { Dispatcher } from '../repl/dispatcher.js';
import { Registry } from '../repl/registry.js';
import { createSession } from './create-session.js';
import { openTarget } from './open-target.js';

/** Where to look for symbols and images when opening a dump. */
export interface SessionOptions {
  readonly symbolPath?: string;
  readonly imagePath?: string;
}

/**
 * Opens a dump or scenario and returns a dispatcher over a fresh session: the one place the
 * CLI, batch triage, the MCP server and the tests build a debugging session.
 */
export async function openSession(path: string, options: SessionOptions = {}): Promise<Dispatcher> {
  let imagePath = options.imagePath ?? process.env['_NT_EXECUTABLE_IMAGE_PATH'] ?? '';
  const target = await openTarget(path, { imagePath: () => imagePath });
  const session = createSession(target);
  session.symbolPath = options.symbolPath ?? process.env['_NT_SYMBOL_PATH'] ?? '';
  session.imagePath = imagePath;
  // `.exepath` may change the image path later; the overlay reads it through this closure.
  Object.defineProperty(session, 'imagePath', {
    get: () => imagePath,
    set: (v: string) => {
      imagePath = v;
    },
    enumerable: true,
  });
  return new Dispatcher(new Registry(COMMANDS), session);
}
