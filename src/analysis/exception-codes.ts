/**
 * Names of the exception codes (NTSTATUS values) seen in crashes, as the debugger words them in
 * event lines (`Access violation - code c0000005`) plus the ntstatus.h symbol.
 */
const EXCEPTION_CODES: ReadonlyMap<number, { readonly text: string; readonly symbol: string }> = new Map([
  [0x80000001, { text: 'Guard page violation', symbol: 'STATUS_GUARD_PAGE_VIOLATION' }],
  [0x80000002, { text: 'Data misaligned', symbol: 'STATUS_DATATYPE_MISALIGNMENT' }],
  [0x80000003, { text: 'Break instruction exception', symbol: 'STATUS_BREAKPOINT' }],
  [0x80000004, { text: 'Single step exception', symbol: 'STATUS_SINGLE_STEP' }],
  [0xc0000005, { text: 'Access violation', symbol: 'STATUS_ACCESS_VIOLATION' }],
  [0xc0000006, { text: 'In-page I/O error', symbol: 'STATUS_IN_PAGE_ERROR' }],
  [0xc0000008, { text: 'Invalid handle', symbol: 'STATUS_INVALID_HANDLE' }],
  [0xc000001d, { text: 'Illegal instruction', symbol: 'STATUS_ILLEGAL_INSTRUCTION' }],
  [0xc0000025, { text: 'Cannot continue', symbol: 'STATUS_NONCONTINUABLE_EXCEPTION' }],
  [0xc0000026, { text: 'Invalid disposition', symbol: 'STATUS_INVALID_DISPOSITION' }],
  [0xc000008c, { text: 'Array bounds exceeded', symbol: 'STATUS_ARRAY_BOUNDS_EXCEEDED' }],
  [0xc000008d, { text: 'Floating-point denormal operand', symbol: 'STATUS_FLOAT_DENORMAL_OPERAND' }],
  [0xc000008e, { text: 'Floating-point division by zero', symbol: 'STATUS_FLOAT_DIVIDE_BY_ZERO' }],
  [0xc000008f, { text: 'Floating-point inexact result', symbol: 'STATUS_FLOAT_INEXACT_RESULT' }],
  [0xc0000090, { text: 'Floating-point invalid operation', symbol: 'STATUS_FLOAT_INVALID_OPERATION' }],
  [0xc0000091, { text: 'Floating-point overflow', symbol: 'STATUS_FLOAT_OVERFLOW' }],
  [0xc0000092, { text: 'Floating-point stack check', symbol: 'STATUS_FLOAT_STACK_CHECK' }],
  [0xc0000093, { text: 'Floating-point underflow', symbol: 'STATUS_FLOAT_UNDERFLOW' }],
  [0xc0000094, { text: 'Integer divide-by-zero', symbol: 'STATUS_INTEGER_DIVIDE_BY_ZERO' }],
  [0xc0000095, { text: 'Integer overflow', symbol: 'STATUS_INTEGER_OVERFLOW' }],
  [0xc0000096, { text: 'Privileged instruction', symbol: 'STATUS_PRIVILEGED_INSTRUCTION' }],
  [0xc00000fd, { text: 'Stack overflow', symbol: 'STATUS_STACK_OVERFLOW' }],
  [0xc0000135, { text: 'DLL not found', symbol: 'STATUS_DLL_NOT_FOUND' }],
  [0xc0000142, { text: 'DLL initialization failed', symbol: 'STATUS_DLL_INIT_FAILED' }],
  [0xc0000374, { text: 'Heap corruption', symbol: 'STATUS_HEAP_CORRUPTION' }],
  [0xc0000409, { text: 'Stack buffer overrun', symbol: 'STATUS_STACK_BUFFER_OVERRUN' }],
  [0xc0000417, { text: 'Invalid CRT parameter', symbol: 'STATUS_INVALID_CRUNTIME_PARAMETER' }],
  [0xc0000420, { text: 'Assertion failure', symbol: 'STATUS_ASSERTION_FAILURE' }],
  [0xe06d7363, { text: 'C++ EH exception', symbol: 'C++ exception (MSVC throw)' }],
]);

/** `Access violation` for 0xc0000005, undefined for codes we do not name. */
export function exceptionName(code: number): string | undefined {
  return EXCEPTION_CODES.get(code >>> 0)?.text;
}

/** `STATUS_ACCESS_VIOLATION` for 0xc0000005, undefined for codes we do not name. */
export function exceptionSymbol(code: number): string | undefined {
  return EXCEPTION_CODES.get(code >>> 0)?.symbol;
}

/** The enumerated values for a bug-check parameter that holds an exception code. */
export function exceptionCodeValues(): (readonly [number, string])[] {
  return [...EXCEPTION_CODES].map(([code, v]) => [code, `${v.symbol}: ${v.text}.`] as const);
}
