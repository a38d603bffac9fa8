import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../../src/errors.js';
import { BufferSource } from '../../../../src/formats/minidump/byte-source.js';
import { hasMinidumpSignature, readDirectory } from '../../../../src/formats/minidump/header.js';
import { isMinidump, openMinidumpBytes } from '../../../../src/target/user/minidump-target.js';
import { MinidumpBuilder } from '../../../builders/minidump-builder.js';
import { recordingModules } from './fake-modules.js';

function open(bytes: Uint8Array) {
  return openMinidumpBytes(bytes, { moduleFactory: recordingModules().factory });
}

function formatErrorOf(bytes: Uint8Array): FormatError {
  try {
    open(bytes);
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}

const minimal = (): MinidumpBuilder =>
  new MinidumpBuilder('x64').thread({ id: 0x10, context: { regs: { rip: 0x1000n, rsp: 0x2000n } } });

describe('minidump header and directory', () => {
  it('recognises the MDMP signature', () => {
    expect(isMinidump(new TextEncoder().encode('MDMP\x93\xa7'))).toBe(true);
    expect(isMinidump(new TextEncoder().encode('PAGEDU64'))).toBe(false);
    expect(hasMinidumpSignature(new Uint8Array(2))).toBe(false);
  });

  it('decodes header fields and directory entries', () => {
    const b = minimal();
    b.header.timestamp = 0x45d35f73;
    b.header.flags = 0x121n;
    const dir = readDirectory(new BufferSource(b.build()));
    expect(dir.header.timeDateStamp).toBe(0x45d35f73);
    expect(dir.header.flags).toBe(0x121n);
    expect(dir.header.streamDirectoryRva).toBe(32);
    expect(dir.entries.map((e) => e.streamType)).toEqual([3, 7]);
    expect(dir.streams.get(3)?.dataSize).toBe(4 + 48);
  });

  it('fails with one clear FormatError for a file shorter than the header', () => {
    const e = formatErrorOf(new Uint8Array([0x4d, 0x44, 0x4d, 0x50, 0x93, 0xa7]));
    expect(e.message).toBe('minidump header truncated: file is 6 bytes, the header needs 32');
    expect(e.format).toBe('minidump');
  });

  it('rejects a wrong signature and a wrong version', () => {
    const bad = minimal();
    bad.header.signature = 0x45474150;
    expect(formatErrorOf(bad.build()).message).toBe("not a minidump: signature 0x45474150 is not 'MDMP'");
    const ver = minimal();
    ver.header.version = 0x1234;
    expect(formatErrorOf(ver.build()).message).toMatch(/Version 0x1234/);
  });

  it('rejects a directory that overlaps the header or runs past the file', () => {
    const overlap = minimal();
    overlap.header.directoryRva = 2;
    expect(formatErrorOf(overlap.build()).message).toBe('minidump header: StreamDirectoryRva 0x2 overlaps the 32-byte header');
    const past = minimal();
    past.header.streams = 100000;
    expect(formatErrorOf(past.build()).message).toMatch(/^minidump stream directory \(100000 entries at 0x20\) runs past the end of the file/);
    const none = minimal();
    none.header.streams = 0;
    expect(formatErrorOf(none.build()).message).toMatch(/NumberOfStreams is 0/);
  });

  it('skips unknown and unused streams, and warns about duplicates', () => {
    const b = minimal().rawStream(0x12345678, new Uint8Array(40)).rawStream(0, new Uint8Array(0));
    b.rawStream(7, new Uint8Array(56)); // a second SystemInfo
    const t = open(b.build());
    expect(t.units).toHaveLength(1);
    expect(t.warnings).toEqual(['duplicate SystemInfo stream (directory entry 4) ignored; the first one is used']);
  });

  it('fails when neither SystemInfo nor any thread context names the CPU', () => {
    const b = new MinidumpBuilder('x64').systemInfo(undefined).rawStream(0x999, new Uint8Array(8));
    expect(formatErrorOf(b.build()).message).toBe('cannot tell the architecture: no SystemInfo stream and no thread context names a CPU');
  });

  it('takes the architecture from thread contexts when SystemInfo is missing', () => {
    const b = new MinidumpBuilder('x86').systemInfo(undefined).thread({ id: 1, context: { regs: { eip: 0x401000n } } });
    const t = open(b.build());
    expect(t.arch).toBe('x86');
    expect(t.units[0]!.context.ip).toBe(0x401000n);
    expect(t.warnings).toContain('no SystemInfo stream; architecture taken from thread contexts');
  });

  it('rejects architectures crashkd cannot debug', () => {
    const b = minimal().systemInfo({ arch: 12 });
    expect(formatErrorOf(b.build()).message).toBe('unsupported processor architecture 12 (ARM64): crashkd reads x64 and x86 minidumps');
  });
});
