/** Shared types of the disassembler: the symbolizer contract and one disassembled line. */

/** Maps an address to `module!Function+0xNN` (or `module+0xNN`); undefined when nothing fits. */
export type Symbolizer = (address: bigint) => string | undefined;

/** One instruction (or one unreadable/undecodable spot) as `u`, `ub`, `uf` and `r` show it. */
export interface DisasmLine {
  address: bigint;
  /** The instruction's bytes; empty when unreadable. */
  bytes: Uint8Array;
  /** Mnemonic (padded to 7 + one space when operands follow) and operands; `???` when unreadable or undecodable. */
  text: string;
  /** Bytes consumed; 1 for unreadable or undecodable spots so a continuation can move on. */
  length: number;
  readable: boolean;
  /** Target of a direct near jump, conditional jump or call. */
  branchTarget?: bigint;
  isCall: boolean;
  isReturn: boolean;
  /** Direct or indirect unconditional jump. */
  isUnconditionalJump: boolean;
  isConditionalJump: boolean;
}

/** Options shared by the linear decoders. */
export interface DecodeOptions {
  bitness: 32 | 64;
  symbolize: Symbolizer;
}
