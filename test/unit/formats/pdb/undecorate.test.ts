import { describe, expect, it } from 'vitest';
import { undecorateName } from '../../../../src/formats/pdb/undecorate.js';

describe('undecorateName', () => {
  it('leaves x64 C names alone', () => {
    expect(undecorateName('KeBugCheckEx', false)).toBe('KeBugCheckEx');
    expect(undecorateName('_fltused', false)).toBe('_fltused');
    expect(undecorateName('__security_check_cookie', false)).toBe('__security_check_cookie');
  });

  it('strips x86 cdecl, stdcall and fastcall decoration', () => {
    expect(undecorateName('_main', true)).toBe('main');
    expect(undecorateName('__purecall', true)).toBe('_purecall');
    expect(undecorateName('_KeBugCheckEx@20', true)).toBe('KeBugCheckEx');
    expect(undecorateName('@KfAcquireSpinLock@4', true)).toBe('KfAcquireSpinLock');
    expect(undecorateName('__imp__CreateFileW@28', true)).toBe('_imp__CreateFileW');
    expect(undecorateName('main', true)).toBe('main');
  });

  it('undecorates C++ names to the qualified name', () => {
    expect(undecorateName('?foo@@YAHH@Z', false)).toBe('foo');
    expect(undecorateName('?crash@@YAX_N@Z', false)).toBe('crash');
    expect(undecorateName('?what@exception@std@@UEBAPEBDXZ', false)).toBe('std::exception::what');
    expect(undecorateName('??0C@google_breakpad@@QEAA@XZ', false)).toBe('google_breakpad::C::C');
    expect(undecorateName('??1C@google_breakpad@@UEAA@XZ', false)).toBe('google_breakpad::C::~C');
    expect(undecorateName('??_GC@google_breakpad@@UEAAPEAXI@Z', false)).toBe("google_breakpad::C::`scalar deleting destructor'");
    expect(undecorateName('??_7type_info@@6B@', false)).toBe("type_info::`vftable'");
    expect(undecorateName('??2@YAPEAX_K@Z', false)).toBe('operator new');
    expect(undecorateName('??3@YAXPEAX@Z', false)).toBe('operator delete');
    expect(undecorateName('??_C@_0BA@ABCDEFGH@hello?5world?$AA@', false)).toBe("`string'");
    expect(undecorateName('?x@?A0x1234abcd@@3HA', false)).toBe("`anonymous namespace'::x");
  });

  it('decodes common template arguments and back references', () => {
    expect(undecorateName('??0?$vector@HV?$allocator@H@std@@@std@@QEAA@XZ', false))
      .toBe('std::vector<int,std::allocator<int> >::vector<int,std::allocator<int> >');
    expect(undecorateName('?f@?$A@$0BA@@@QEAAXXZ', false)).toBe('A<16>::f');
    expect(undecorateName('?f@?$A@$00@@QEAAXXZ', false)).toBe('A<1>::f');
    expect(undecorateName('?f@?$A@PEBD@@QEAAXXZ', false)).toBe('A<char const *>::f');
    expect(undecorateName('?g@C@N@@SAXXZ', false)).toBe('N::C::g');
    expect(undecorateName('?h@0@YAXXZ', false)).toBe('h::h');
  });

  it('spells RTTI specials as undname does', () => {
    expect(undecorateName('??_R0?AVtype_info@@@8', false)).toBe("type_info `RTTI Type Descriptor'");
    expect(undecorateName('??_R1A@?0A@EA@exception@std@@8', false)).toBe("std::exception::`RTTI Base Class Descriptor at (0,-1,0,64)'");
    expect(undecorateName('??_R4bad_alloc@std@@6B@', false)).toBe("std::bad_alloc::`RTTI Complete Object Locator'");
  });

  it('keeps names it cannot decode', () => {
    expect(undecorateName('??Bfoo@@QEAAHXZ', false)).toBe('??Bfoo@@QEAAHXZ');
    expect(undecorateName('?_OptionsStorage@?1??__local_stdio_printf_options@@9@4_KA', false))
      .toBe('?_OptionsStorage@?1??__local_stdio_printf_options@@9@4_KA');
    expect(undecorateName('?', false)).toBe('?');
    expect(undecorateName('?broken', false)).toBe('?broken');
  });
});
