import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MINIDUMP = resolve(process.cwd(), '../shared/testdata/google+breakpad/src/processor/testdata/minidump2.dmp');

type TextResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

describe('crashkd mcp', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: 'crashkd-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: ['bin/crashkd.js', 'mcp'] }));
  });
  afterAll(async () => {
    await client.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as TextResult;

  it('lists the five tools', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['analyze', 'close_dump', 'describe_target', 'open_dump', 'run_command']);
  });

  it('opens the seed scenario and runs ~2s; kv like the CLI', async () => {
    const opened = await call('open_dump', { path: 'fixtures/clock-watchdog-0x101.yaml' });
    const handle = opened.structuredContent!['handle'] as string;
    expect(opened.structuredContent).toMatchObject({ kind: 'kernel', units: 4, bugCheck: { code: '00000000`00000101' } });
    const r = await call('run_command', { handle, command: '~2s; kv' });
    expect(r.content[0]!.text).toBe(
      'Child-SP          RetAddr           : Args to Child                                                           : Call Site\n' +
        '00000000`00000000 00000000`00000000 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : 0x0',
    );
    expect(r.structuredContent!['prompt']).toBe('2: kd> ');
    expect((await call('close_dump', { handle })).isError).toBeFalsy();
    expect((await call('run_command', { handle, command: 'r' })).isError).toBe(true);
  });

  it.skipIf(!existsSync(MINIDUMP))('opens a real minidump and describes it', async () => {
    const opened = await call('open_dump', { path: MINIDUMP });
    expect(opened.structuredContent).toMatchObject({ kind: 'user', arch: 'x86', units: 2, unitKind: 'threads', modules: 13 });
  });

  it('reports a missing dump as an MCP error with the CLI text', async () => {
    const r = await call('open_dump', { path: 'no/such.dmp' });
    expect(r.isError).toBe(true);
    expect(r.content[0]!.text).toBe("Could not find the dump file 'no/such.dmp'");
  });
});
