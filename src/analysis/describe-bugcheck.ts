import { bugCheckName, findBugCheck, type BugCheckEntry, type Param, type ParamSpec, type Subtype, type ValueMeaning } from './bugchecks/index.js';

/** One bug-check parameter explained. */
export interface ParamDescription {
  /** 1..4. */
  readonly index: number;
  /** The value given (absent for a reference lookup without values). */
  readonly value?: bigint;
  /** What the parameter holds (for this subtype when one matched). */
  readonly meaning: string;
  /** What the value means, when the parameter is an enumeration or a subtype selector. */
  readonly decoded?: string;
  /** Every enumerated value of this parameter (for `-show` without values). */
  readonly enumeration?: readonly ValueMeaning[];
}

/** A bug check explained: name, meaning, parameters with their values decoded. */
export interface BugCheckDescription {
  readonly code: bigint;
  /** `full`: parameters tabulated; `name`: only the name is known; `unknown`: neither. */
  readonly coverage: 'full' | 'name' | 'unknown';
  readonly name?: string;
  readonly text?: string;
  /** The subtype Parameter 1 selected, if any. */
  readonly subtype?: Subtype;
  readonly params: readonly ParamDescription[];
}

function specOf(p: Param): ParamSpec {
  return typeof p === 'string' ? { text: p } : p;
}

/**
 * On x64 a 32-bit NTSTATUS or code stored in a 64-bit parameter shows sign-extended
 * (`ffffffffc0000005`), so a value whose high half is all ones also matches its low half.
 */
function candidates(v: bigint): bigint[] {
  const out = [v];
  if (v >> 32n === 0xffffffffn) out.push(v & 0xffffffffn);
  return out;
}

/** The meaning of `value` in an enumerated parameter, if it is listed. */
export function decodeValue(spec: ParamSpec, value: bigint): string | undefined {
  if (spec.values) {
    for (const c of candidates(value)) {
      const key = spec.mask === undefined ? c : c & BigInt(spec.mask);
      const hit = spec.values.find(([v]) => BigInt(v) === key);
      if (hit) return hit[1];
    }
  }
  if (spec.flags) {
    const set = spec.flags.filter(([mask]) => mask !== 0 && (value & BigInt(mask)) === BigInt(mask)).map(([, m]) => m);
    if (set.length > 0) return set.join(' ');
  }
  return undefined;
}

function findSubtype(entry: BugCheckEntry, p1: bigint): Subtype | undefined {
  return entry.subtypes?.find((s) => candidates(p1).some((c) => BigInt(s.value) === c));
}

function describeParam(index: number, param: Param, value: bigint | undefined, subtype?: Subtype): ParamDescription {
  const spec = specOf(param);
  const base = { index, meaning: spec.text, ...(value === undefined ? {} : { value }) };
  if (value === undefined) return spec.values ? { ...base, enumeration: spec.values } : base;
  if (index === 1 && subtype) return { ...base, decoded: subtype.text };
  const decoded = decodeValue(spec, value);
  return decoded === undefined ? base : { ...base, decoded };
}

/**
 * Explains a bug check from crashkd's tables. With parameter values, Parameter 1 selects the
 * subtype (which redefines 2-4) and enumerated values are decoded; without values, the
 * enumerations are returned for listing.
 */
export function describeBugCheck(code: bigint, values?: readonly bigint[]): BugCheckDescription {
  const entry = findBugCheck(code);
  const has = values !== undefined && values.length > 0;
  const value = (i: number): bigint | undefined => (has ? (values[i] ?? 0n) : undefined);
  if (!entry) {
    const name = bugCheckName(code);
    const params = [1, 2, 3, 4].map((index) => ({ index, meaning: '', ...(has ? { value: values[index - 1] ?? 0n } : {}) }));
    return name ? { code, coverage: 'name', name, params } : { code, coverage: 'unknown', params };
  }
  const p1 = value(0);
  const subtype = p1 === undefined ? undefined : findSubtype(entry, p1);
  const params = entry.params.map((general, i) => {
    const specific = i > 0 ? subtype?.params?.[i - 1] : undefined;
    return describeParam(i + 1, specific ?? general, value(i), subtype);
  });
  // Without values, a subtype table is Parameter 1's enumeration.
  if (p1 === undefined && entry.subtypes && params[0]) {
    params[0] = { ...params[0], enumeration: entry.subtypes.map((s) => [s.value, s.text] as const) };
  }
  return { code, coverage: 'full', name: entry.name, text: entry.text, ...(subtype ? { subtype } : {}), params };
}
