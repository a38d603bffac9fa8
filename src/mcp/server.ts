import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { DebuggerError } from '../errors.js';
import { formatPointer } from '../memory/address.js';
import type { Dispatcher } from '../repl/dispatcher.js';
import { CRASHKD_VERSION } from '../version.js';
import { DumpRegistry } from './dump-registry.js';

/** Longest text one tool call returns; the rest is cut with a note. */
const MAX_OUTPUT = 256 * 1024;
/** A command that runs longer is aborted (as if Ctrl+C was pressed). */
const COMMAND_TIMEOUT_MS = 30_000;

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

function text(s: string, structured?: Record<string, unknown>): ToolResult {
  const cut = s.length > MAX_OUTPUT ? `${s.slice(0, MAX_OUTPUT)}\n... (output cut at ${MAX_OUTPUT} characters)` : s;
  return structured ? { content: [{ type: 'text', text: cut }], structuredContent: structured } : { content: [{ type: 'text', text: cut }] };
}

function failure(e: unknown): ToolResult {
  const message = e instanceof DebuggerError || e instanceof Error ? e.message : String(e);
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Runs a kd command line with a time bound; returns the text WinDbg would print. */
export async function runBounded(d: Dispatcher, line: string): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), COMMAND_TIMEOUT_MS);
  try {
    const lines = await d.execute(line, { column: 0, signal: controller.signal });
    const out = lines.map((l) => l.text).join('\n');
    return controller.signal.aborted ? `${out}\n... (stopped after ${COMMAND_TIMEOUT_MS / 1000} s)` : out;
  } finally {
    clearTimeout(timer);
  }
}

/** What `describe_target` reports. */
export function describeTarget(d: Dispatcher): Record<string, unknown> {
  const t = d.session.target;
  const hex = (v: bigint) => formatPointer(v, t.pointerSize);
  return {
    kind: t.kind,
    arch: t.arch,
    dumpKind: t.dumpKindLine,
    os: t.system.versionLine,
    build: t.system.buildNumber,
    debugSessionTime: t.system.debugSessionTime ?? null,
    units: t.units.length,
    unitKind: t.kind === 'kernel' ? 'processors' : 'threads',
    current: d.session.currentIndex,
    modules: t.modules.length,
    bugCheck: t.bugCheck ? { code: hex(t.bugCheck.code), parameters: t.bugCheck.parameters.map(hex) } : null,
    warnings: [...t.warnings],
  };
}

/** Builds the MCP server with crashkd's tools over a registry of open dumps. */
export function createMcpServer(registry = new DumpRegistry()): McpServer {
  const server = new McpServer({ name: 'crashkd', version: CRASHKD_VERSION });
  server.registerTool(
    'open_dump',
    {
      description: 'Open a Windows crash dump (kernel PAGEDU64, user MDMP) or a crashkd scenario (.yaml). Returns a handle for the other tools.',
      inputSchema: { path: z.string(), symbolPath: z.string().optional(), imagePath: z.string().optional() },
    },
    async ({ path, symbolPath, imagePath }) => {
      try {
        const { handle, dispatcher } = await registry.add(path, { ...(symbolPath ? { symbolPath } : {}), ...(imagePath ? { imagePath } : {}) });
        const info = { handle, ...describeTarget(dispatcher) };
        return text(JSON.stringify(info, null, 2), info);
      } catch (e) {
        return failure(e);
      }
    },
  );
  server.registerTool(
    'run_command',
    {
      description: 'Run a WinDbg/KD command line (e.g. "~2s; kv", "r", "lm", "!analyze -v") on an open dump; returns the debugger output text.',
      inputSchema: { handle: z.string(), command: z.string().max(4096) },
    },
    async ({ handle, command }) => {
      try {
        const d = registry.get(handle);
        const output = await runBounded(d, command);
        return text(output, { handle, command, prompt: d.session.prompt(), output });
      } catch (e) {
        return failure(e);
      }
    },
  );
  server.registerTool(
    'describe_target',
    { description: 'Kind, OS, processors or threads, modules and bug check of an open dump.', inputSchema: { handle: z.string() } },
    async ({ handle }) => {
      try {
        const info = describeTarget(registry.get(handle));
        return text(JSON.stringify(info, null, 2), info);
      } catch (e) {
        return failure(e);
      }
    },
  );
  server.registerTool(
    'analyze',
    { description: 'The !analyze -v report of an open dump.', inputSchema: { handle: z.string() } },
    async ({ handle }) => {
      try {
        return text(await runBounded(registry.get(handle), '!analyze -v'));
      } catch (e) {
        return failure(e);
      }
    },
  );
  server.registerTool(
    'close_dump',
    { description: 'Close an open dump handle.', inputSchema: { handle: z.string() } },
    async ({ handle }) => (registry.close(handle) ? text(`closed ${handle}`) : failure(`no open dump '${handle}'`)),
  );
  return server;
}

/** `crashkd mcp`: serve over stdio until the client disconnects. */
export async function runMcpServer(): Promise<number> {
  const server = createMcpServer();
  await server.connect(new StdioServerTransport());
  return await new Promise<number>((resolve) => {
    process.stdin.on('close', () => resolve(0));
  });
}
