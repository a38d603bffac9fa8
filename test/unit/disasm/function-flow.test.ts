import { describe, expect, it } from 'vitest';
import { disassembleFunction, formatDisasmLine, type Symbolizer } from '../../../src/disasm/index.js';
import { memoryOf } from './helpers.js';

const FN = 0x140001000n;
const COLD = 0x140000ff0n;

/** app!Fn at 0x140001000 with an out-of-line chunk below it and a callee it must not follow. */
const memory = memoryOf([
  COLD,
  [
    '33c0', // ff0 xor eax,eax
    'eb19', // ff2 jmp 14000100d
    'cccccccccccccccccccccccc', // ff4..fff padding
    '85c9', // 1000 test ecx,ecx
    '0f84e8ffffff', // 1002 je 140000ff0
    'e8f30f0000', // 1008 call 140002000
    'c3', // 100d ret
    'cc', // 100e int 3 (unreached)
  ].join(''),
]);

const symbolize: Symbolizer = (a) => {
  if (a === 0x140002000n) return 'app!Callee';
  if (a >= FN && a < FN + 0x20n) return a === FN ? 'app!Fn' : `app!Fn+0x${(a - FN).toString(16)}`;
  if (a >= COLD && a < FN) return `app!Fn$cold+0x${(a - COLD).toString(16)}`;
  return undefined;
};

function render(blocks: ReturnType<typeof disassembleFunction>): string[][] {
  return blocks.map((b) => b.map((l) => formatDisasmLine(l, 8)));
}

describe('disassembleFunction (uf)', () => {
  it('splits basic blocks at branches and targets and sorts them by address', () => {
    const blocks = disassembleFunction(memory, FN, { bitness: 64, symbolize });
    expect(render(blocks)).toEqual([
      [
        '00000001`40000ff0 33c0            xor     eax,eax',
        '00000001`40000ff2 eb19            jmp     app!Fn+0xd (00000001`4000100d)',
      ],
      [
        '00000001`40001000 85c9            test    ecx,ecx',
        '00000001`40001002 0f84e8ffffff    je      app!Fn$cold+0x0 (00000001`40000ff0)',
      ],
      ['00000001`40001008 e8f30f0000      call    app!Callee (00000001`40002000)'],
      ['00000001`4000100d c3              ret'],
    ]);
  });

  it('does not follow jumps that leave the given bounds', () => {
    const blocks = disassembleFunction(memory, FN, { bitness: 64, symbolize, bounds: { begin: FN, end: FN + 0xfn } });
    expect(blocks.map((b) => b.map((l) => l.address))).toEqual([[FN, FN + 2n], [FN + 8n, FN + 0xdn]]);
  });

  it('treats a jump to the exact start of another symbol as a tail call', () => {
    const tail = memoryOf([0x2000n, '85c9 7402 ebfa e9e5ffffff'.replace(/ /g, '')], [0x1ff0n, '33c0c3']);
    // 2000 test; 2002 je 2006; 2004 jmp 2000 (loop); 2006 jmp 1ff0 (another function)
    const names: Symbolizer = (a) => (a === 0x1ff0n ? 'app!Other' : a === 0x2000n ? 'app!Loop' : undefined);
    const blocks = disassembleFunction(tail, 0x2000n, { bitness: 64, symbolize: names });
    expect(blocks.map((b) => b.map((l) => l.text))).toEqual([
      ['test    ecx,ecx', 'je      00000000`00002006'],
      ['jmp     app!Loop (00000000`00002000)'],
      ['jmp     app!Other (00000000`00001ff0)'],
    ]);
  });

  it('stops at maxInstructions and at unreadable code', () => {
    const blocks = disassembleFunction(memory, FN, { bitness: 64, symbolize, maxInstructions: 2 });
    expect(blocks.flat()).toHaveLength(2);
    const broken = disassembleFunction(memoryOf([0x3000n, '85c9']), 0x3000n, { bitness: 64, symbolize });
    expect(broken.flat().map((l) => formatDisasmLine(l, 8))).toEqual([
      '00000000`00003000 85c9            test    ecx,ecx',
      '00000000`00003002 ??              ???',
    ]);
  });
});
