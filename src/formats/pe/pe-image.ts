/**
 * One PE image opened through an ImageReader, with lazily decoded, cached parts. This is the
 * entry point for the rest of crashkd (module symbols from exports, unwind data, PDB ids).
 */
import type { ImageReader } from './image-reader.js';
import { imageCodeId, parsePeHeaders, type PeHeaders } from './pe-headers.js';
import { parseExports, type PeExports } from './pe-exports.js';
import { lookupRuntimeFunction, readRuntimeFunctions, type RuntimeFunction, type RuntimeFunctionTable } from './runtime-functions.js';
import { decodeUnwindInfo, type UnwindInfo } from './unwind-info.js';
import { parseDebugDirectory, readCodeView, type CodeViewInfo, type DebugDirectoryEntry } from './debug-directory.js';

/** A parsed PE image; every accessor decodes on first use and caches the result. */
export class PeImage {
  private pdata: RuntimeFunctionTable | undefined;
  private exportsCache: PeExports | undefined | null = null;
  private codeViewCache: CodeViewInfo | undefined | null = null;

  constructor(
    readonly reader: ImageReader,
    readonly headers: PeHeaders,
  ) {}

  /** Parses the headers; `limit` bounds the header area (the file size for files). Throws FormatError. */
  static open(reader: ImageReader, limit?: number): PeImage {
    return new PeImage(reader, parsePeHeaders(reader, limit));
  }

  /** `<TimeDateStamp %08X><SizeOfImage %x>`, the image's symbol-server key. */
  get codeId(): string {
    return imageCodeId(this.headers);
  }

  /** The .pdata table (empty when the image has none). */
  get runtimeFunctions(): RuntimeFunctionTable {
    this.pdata ??= readRuntimeFunctions(this.reader, this.headers);
    return this.pdata;
  }

  /** The RUNTIME_FUNCTION covering `rva`, indirect entries followed. */
  lookupFunction(rva: number): RuntimeFunction | undefined {
    return lookupRuntimeFunction(this.runtimeFunctions, this.reader, rva, this.headers.sizeOfImage);
  }

  /** The UNWIND_INFO at `rva` (a RUNTIME_FUNCTION's unwindData). */
  unwindInfo(rva: number): UnwindInfo {
    return decodeUnwindInfo(this.reader, rva, this.headers.sizeOfImage);
  }

  /** The export directory, or undefined when the image exports nothing. */
  exports(): PeExports | undefined {
    if (this.exportsCache === null) this.exportsCache = parseExports(this.reader, this.headers);
    return this.exportsCache;
  }

  /** The debug directory entries. */
  debugEntries(): DebugDirectoryEntry[] {
    return parseDebugDirectory(this.reader, this.headers);
  }

  /** The first CodeView (RSDS/NB10) record, or undefined. */
  codeView(): CodeViewInfo | undefined {
    if (this.codeViewCache === null) this.codeViewCache = readCodeView(this.reader, this.headers);
    return this.codeViewCache;
  }
}
