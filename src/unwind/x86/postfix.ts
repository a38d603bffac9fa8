/**
 * The postfix language of Breakpad STACK WIN program strings and STACK CFI rules (inherited
 * from the MSVC FPO program strings): `$T0 $ebp = $eip $T0 4 + ^ = ...`. Values are 32-bit
 * unsigned; `^` reads a dword from the target; `@` aligns down; `=` assigns a `$` variable.
 */

const MASK32 = 0xffffffffn;
/** Tokens a program may hold: far more than any real program string, small enough for garbage. */
const MAX_TOKENS = 1000;

/** Reads a dword of target memory, undefined when unreadable. */
export type Read32 = (address: bigint) => bigint | undefined;

type Operand = { readonly value: bigint } | { readonly name: string };

/** Splits a program into tokens; `=$ebp` (an MSVC quirk with no space) becomes `=` `$ebp`. */
function tokens(program: string): string[] | undefined {
  const out: string[] = [];
  for (const raw of program.split(/\s+/)) {
    if (raw === '') continue;
    if (raw.length > 1 && raw.startsWith('=')) out.push('=', raw.slice(1));
    else out.push(raw);
    if (out.length > MAX_TOKENS) return undefined;
  }
  return out;
}

function literal(token: string): bigint | undefined {
  if (/^-?\d+$/.test(token)) return BigInt(token) & MASK32;
  if (/^0x[0-9a-f]+$/i.test(token)) return BigInt(token) & MASK32;
  return undefined;
}

function isIdentifier(token: string): boolean {
  return /^[$.][\w.]+$/.test(token);
}

function binary(op: string, a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case '+':
      return (a + b) & MASK32;
    case '-':
      return (a - b) & MASK32;
    case '*':
      return (a * b) & MASK32;
    case '/':
      return b === 0n ? undefined : a / b;
    case '%':
      return b === 0n ? undefined : a % b;
    case '@':
      // Align down to a power of two: a & -b.
      return b === 0n ? undefined : a & (-b & MASK32);
    default:
      return undefined;
  }
}

/**
 * Runs `program` over the values in `vars` (not modified). Returns every variable the program
 * assigned, or undefined when the program is malformed, reads unknown variables or unreadable
 * memory, or leaves values on the stack.
 */
export function runPostfixProgram(program: string, vars: ReadonlyMap<string, bigint>, read32: Read32): Map<string, bigint> | undefined {
  const r = run(program, vars, read32);
  if (!r || r.stack.length !== 0) return undefined;
  return r.assigned;
}

/** Evaluates a single postfix expression (a CFI rule) to its value, or undefined on any failure. */
export function evaluatePostfix(expression: string, vars: ReadonlyMap<string, bigint>, read32: Read32): bigint | undefined {
  const r = run(expression, vars, read32);
  if (!r || r.stack.length !== 1 || r.assigned.size !== 0) return undefined;
  return r.value(r.stack[0]!);
}

function run(
  program: string,
  vars: ReadonlyMap<string, bigint>,
  read32: Read32,
): { stack: Operand[]; assigned: Map<string, bigint>; value: (o: Operand) => bigint | undefined } | undefined {
  const list = tokens(program);
  if (!list) return undefined;
  const assigned = new Map<string, bigint>();
  const value = (o: Operand): bigint | undefined => ('value' in o ? o.value : (assigned.get(o.name) ?? vars.get(o.name)));
  const stack: Operand[] = [];
  const pop = (): bigint | undefined => {
    const o = stack.pop();
    return o === undefined ? undefined : value(o);
  };
  for (const t of list) {
    if (t === '=') {
      const v = pop();
      const target = stack.pop();
      if (v === undefined || !target || !('name' in target) || !target.name.startsWith('$')) return undefined;
      assigned.set(target.name, v);
    } else if (t === '^') {
      const address = pop();
      const v = address === undefined ? undefined : read32(address);
      if (v === undefined) return undefined;
      stack.push({ value: v });
    } else if (t.length === 1 && '+-*/%@'.includes(t)) {
      const b = pop();
      const a = pop();
      const v = a === undefined || b === undefined ? undefined : binary(t, a, b);
      if (v === undefined) return undefined;
      stack.push({ value: v });
    } else {
      const n = literal(t);
      if (n !== undefined) stack.push({ value: n });
      else if (isIdentifier(t)) stack.push({ name: t });
      else return undefined;
    }
  }
  return { stack, assigned, value };
}
