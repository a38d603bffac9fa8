/**
 * Name-only undecoration of PDB public names, the way WinDbg shows publics (dbghelp's
 * SYMOPT_UNDNAME, i.e. UnDecorateSymbolName with UNDNAME_NAME_ONLY):
 *
 * - MSVC C++ names (`?foo@bar@@YAHH@Z`) become the qualified name without the signature
 *   (`bar::foo`); constructors, destructors, operators and the common compiler-generated
 *   specials are spelt as undname spells them (`` C::`scalar deleting destructor' ``).
 *   Template arguments are decoded for the common types; anything this decoder does not
 *   understand leaves the decorated name as is (never a wrong guess).
 * - x86 C names lose the leading `_` (cdecl/stdcall), the `@` prefix (fastcall) and the
 *   `@N` argument-size suffix: `_KeBugCheckEx@20` -> `KeBugCheckEx`.
 * - x64 C names are already plain (`KeBugCheckEx`, `_fltused`) and are left untouched.
 */
export function undecorateName(name: string, x86: boolean): string {
  if (name.startsWith('?')) return undecorateCpp(name) ?? name;
  if (!x86) return name;
  const m = /^([_@])?([^@]+)@@?\d+$/.exec(name);
  if (m) return m[2]!;
  return name.startsWith('_') && name.length > 1 ? name.slice(1) : name;
}

const OPERATORS: Record<string, string> = {
  '2': 'operator new', '3': 'operator delete', '4': 'operator=', '5': 'operator>>', '6': 'operator<<',
  '7': 'operator!', '8': 'operator==', '9': 'operator!=', A: 'operator[]', C: 'operator->', D: 'operator*',
  E: 'operator++', F: 'operator--', G: 'operator-', H: 'operator+', I: 'operator&', J: 'operator->*',
  K: 'operator/', L: 'operator%', M: 'operator<', N: 'operator<=', O: 'operator>', P: 'operator>=',
  Q: 'operator,', R: 'operator()', S: 'operator~', T: 'operator^', U: 'operator|', V: 'operator&&',
  W: 'operator||', X: 'operator*=', Y: 'operator+=', Z: 'operator-=',
  _0: 'operator/=', _1: 'operator%=', _2: 'operator>>=', _3: 'operator<<=', _4: 'operator&=', _5: 'operator|=',
  _6: 'operator^=', _7: '`vftable\'', _8: '`vbtable\'', _9: '`vcall\'', _A: '`typeof\'',
  _B: '`local static guard\'', _D: '`vbase destructor\'', _E: '`vector deleting destructor\'',
  _F: '`default constructor closure\'', _G: '`scalar deleting destructor\'',
  _H: '`vector constructor iterator\'', _I: '`vector destructor iterator\'',
  _J: '`vector vbase constructor iterator\'', _K: '`virtual displacement map\'',
  _L: '`eh vector constructor iterator\'', _M: '`eh vector destructor iterator\'',
  _N: '`eh vector vbase constructor iterator\'', _O: '`copy constructor closure\'',
  _S: '`local vftable\'', _T: '`local vftable constructor closure\'', _U: 'operator new[]', _V: 'operator delete[]',
};

const RTTI: Record<string, string> = {
  '2': '`RTTI Base Class Array\'', '3': '`RTTI Class Hierarchy Descriptor\'', '4': '`RTTI Complete Object Locator\'',
};

const PRIMITIVES: Record<string, string> = {
  C: 'signed char', D: 'char', E: 'unsigned char', F: 'short', G: 'unsigned short', H: 'int',
  I: 'unsigned int', J: 'long', K: 'unsigned long', M: 'float', N: 'double', O: 'long double', X: 'void',
};
const EXTENDED: Record<string, string> = {
  J: '__int64', K: 'unsigned __int64', N: 'bool', W: 'wchar_t', S: 'char16_t', U: 'char32_t', Q: 'char8_t',
};

class Fail extends Error {}

/** A recursive-descent reader over one decorated name; throws Fail on anything unknown. */
class Demangler {
  private pos = 0;
  private names: string[] = [];
  private types: string[] = [];

  constructor(private readonly s: string) {}

  qualifiedName(): string {
    const first = this.unqualified(true);
    const parts = [first.text];
    const special = first.special;
    while (this.peek() !== '@') {
      if (parts.length > 64) throw new Fail();
      parts.push(this.unqualified(false).text);
    }
    this.pos++;
    const scopes = parts.slice(1).reverse();
    if (special === 'ctor' || special === 'dtor') {
      // undname repeats the class name, template arguments included: std::vector<int>::vector<int>
      const cls = parts[1];
      if (!cls) throw new Fail();
      parts[0] = special === 'dtor' ? `~${cls}` : cls;
    }
    return [...scopes, parts[0]].join('::');
  }

  private unqualified(first: boolean): { text: string; special?: 'ctor' | 'dtor' } {
    const c = this.next();
    if (c >= '0' && c <= '9') {
      const n = this.names[Number(c)];
      if (n === undefined) throw new Fail();
      return { text: n };
    }
    if (c === '?') {
      if (this.peek() === '$') {
        this.pos++;
        return { text: this.remember(this.template()) };
      }
      if (first) return this.special();
      if (this.s.startsWith('A0x', this.pos)) {
        this.fragment();
        return { text: '`anonymous namespace\'' };
      }
      throw new Fail();
    }
    this.pos--;
    return { text: this.remember(this.fragment()) };
  }

  private special(): { text: string; special?: 'ctor' | 'dtor' } {
    const c = this.next();
    if (c === '0') return { text: '', special: 'ctor' };
    if (c === '1') return { text: '', special: 'dtor' };
    if (c === '_') {
      const d = this.next();
      if (d === 'R') return { text: this.rtti() };
      if (d === 'C' || d === '_') throw new Fail();
      const op = OPERATORS[`_${d}`];
      if (op === undefined) throw new Fail();
      return { text: op };
    }
    // 'B' (conversion operator) needs the return type from the signature: not decoded.
    const op = OPERATORS[c];
    if (op === undefined) throw new Fail();
    return { text: op };
  }

  /** RTTI specials after `??_R`: 1 (base class descriptor, four numbers), 2, 3, 4. */
  private rtti(): string {
    const kind = this.next();
    if (kind === '1') {
      const n = [this.number(), this.number(), this.number(), this.number()];
      return `\`RTTI Base Class Descriptor at (${n.join(',')})'`;
    }
    const text = RTTI[kind];
    if (text === undefined) throw new Fail();
    return text;
  }

  /** `??_R0` + type: the type descriptor, spelt `type `RTTI Type Descriptor'`. */
  typeDescriptor(): string {
    if (this.s.startsWith('?A', this.pos)) this.pos += 2;
    const t = this.type();
    if (this.s.slice(this.pos) !== '@8') throw new Fail();
    return `${t} \`RTTI Type Descriptor'`;
  }

  private template(): string {
    const saved = { names: this.names, types: this.types };
    this.names = [];
    this.types = [];
    const name = this.fragment();
    this.remember(name);
    const args: string[] = [];
    while (this.peek() !== '@') {
      if (args.length > 64) throw new Fail();
      args.push(this.templateArg());
    }
    this.pos++;
    this.names = saved.names;
    this.types = saved.types;
    const inner = args.join(',');
    return `${name}<${inner}${inner.endsWith('>') ? ' ' : ''}>`;
  }

  private templateArg(): string {
    if (this.s.startsWith('$0', this.pos)) {
      this.pos += 2;
      return this.number().toString();
    }
    return this.type();
  }

  private type(): string {
    const start = this.pos;
    const c = this.next();
    let t: string;
    if (c >= '0' && c <= '9') {
      const b = this.types[Number(c)];
      if (b === undefined) throw new Fail();
      return b;
    } else if (PRIMITIVES[c] !== undefined) {
      return PRIMITIVES[c]!;
    } else if (c === '_') {
      const e = EXTENDED[this.next()];
      if (e === undefined) throw new Fail();
      t = e;
    } else if (c === 'V' || c === 'U' || c === 'T') {
      t = this.qualifiedName();
    } else if (c === 'W') {
      if (this.next() !== '4') throw new Fail();
      t = this.qualifiedName();
    } else if (c === 'P' || c === 'Q' || c === 'R' || c === 'S' || c === 'A') {
      while (this.peek() === 'E' || this.peek() === 'I' || this.peek() === 'F') this.pos++;
      const cv = this.next();
      const quals = { A: '', B: ' const', C: ' volatile', D: ' const volatile' }[cv];
      if (quals === undefined) throw new Fail();
      t = `${this.type()}${quals} ${c === 'A' ? '&' : '*'}`;
    } else {
      throw new Fail();
    }
    if (this.pos - start > 1 && this.types.length < 10) this.types.push(t);
    return t;
  }

  private number(): bigint {
    let neg = false;
    if (this.peek() === '?') {
      neg = true;
      this.pos++;
    }
    const c = this.next();
    let v: bigint;
    if (c >= '0' && c <= '9') {
      v = BigInt(Number(c) + 1);
    } else {
      v = 0n;
      let d = c;
      for (let i = 0; d !== '@'; i++) {
        if (d < 'A' || d > 'P' || i > 16) throw new Fail();
        v = v * 16n + BigInt(d.charCodeAt(0) - 65);
        d = this.next();
      }
    }
    return neg ? -v : v;
  }

  private fragment(): string {
    const end = this.s.indexOf('@', this.pos);
    if (end <= this.pos) throw new Fail();
    const text = this.s.slice(this.pos, end);
    this.pos = end + 1;
    return text;
  }

  private remember(name: string): string {
    if (this.names.length < 10 && !this.names.includes(name)) this.names.push(name);
    return name;
  }

  private peek(): string {
    const c = this.s[this.pos];
    if (c === undefined) throw new Fail();
    return c;
  }

  private next(): string {
    const c = this.peek();
    this.pos++;
    return c;
  }
}

function undecorateCpp(name: string): string | undefined {
  if (name.length > 4096) return undefined;
  if (name.startsWith('??_C@')) return '`string\'';
  try {
    if (name.startsWith('??_R0')) return new Demangler(name.slice(5)).typeDescriptor();
    return new Demangler(name.slice(1)).qualifiedName();
  } catch (err) {
    if (err instanceof Fail) return undefined;
    throw err;
  }
}
