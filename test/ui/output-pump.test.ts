import { describe, expect, it } from 'vitest';
import { out, type Line } from '../../src/repl/output.js';
import { OutputPump } from '../../src/ui/output-pump.js';
import { groupLines } from '../../src/ui/scrollback-items.js';

const lines = (n: number, tag = 'l') => Array.from({ length: n }, (_, i) => out(`${tag}${i}`));
const turn = () => new Promise((r) => setImmediate(r));

describe('OutputPump', () => {
  it('emits at most perTick lines per event-loop turn, in order', async () => {
    const got: (readonly Line[])[] = [];
    const pump = new OutputPump((l) => got.push(l), 10);
    pump.push(lines(25));
    expect(got.map((g) => g.length)).toEqual([10]);
    pump.push(lines(3, 'x')); // same turn: budget spent, waits
    expect(got.length).toBe(1);
    await pump.drained();
    expect(got.map((g) => g.length)).toEqual([10, 10, 8]);
    expect(got.flat().map((l) => l.text)).toEqual([...lines(25).map((l) => l.text), 'x0', 'x1', 'x2']);
  });

  it('drop forgets the backlog and settles drained()', async () => {
    const got: Line[] = [];
    const pump = new OutputPump((l) => got.push(...l), 100);
    pump.push(lines(1000));
    const done = pump.drained();
    await turn();
    pump.drop();
    await done;
    expect(got.length).toBe(200);
    await turn();
    await turn();
    expect(got.length).toBe(200);
    pump.push([out('after')]);
    expect(got.at(-1)?.text).toBe('after');
  });

  it('a 100k-line push never blocks one turn for long', async () => {
    let emitted = 0;
    const pump = new OutputPump((l) => (emitted += l.length));
    pump.push(lines(100_000));
    let turns = 0;
    while (pump.backlog > 0) {
      await turn();
      turns++;
    }
    expect(emitted).toBe(100_000);
    expect(turns).toBe(199);
  });
});

describe('groupLines', () => {
  it('joins consecutive lines of one role', () => {
    const items = groupLines(
      [out('a'), out(''), { text: 'e', role: 'error' }, { text: 'f', role: 'error' }, out('b')],
      7,
    );
    expect(items).toEqual([
      { id: 7, role: 'output', text: 'a\n' },
      { id: 8, role: 'error', text: 'e\nf' },
      { id: 9, role: 'output', text: 'b' },
    ]);
  });
});
