import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../../src/repl/dispatcher.js';
import { DEFAULT_MAX_STEPS, setMaxSteps } from '../../../src/script/state.js';
import { seedDispatcher } from './helpers.js';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '.if', '.elsif', '.else', '.while', '.do', '.for', '.foreach', '/pS 1', '/ps 2', '/s', '/f', '.block', '.catch',
  '.break', '.continue', '.leave', '(', ')', '{', '}', ';', ';', ' ', ' ', '"', '"x y"', '$$', '$$ c;', '*',
  'as', 'aS', 'ad', 'al', 'ad *', '/x', '/c', '/ma', '/q', 'name', 'v', '${v}', '${/v:name}', '${/d:name}', '${/f:v}',
  '${$arg1}', '$u0', 'r $.u0=', 'r $t0 = @$t0 + 1', 'r $t1=', '@$t0 < 3', '@$t0', '1', '0', 'poi(@rsp)', '+', '==',
  '.printf "%d %p %y %ma\\n", @$t0', '.printf', ',', '%', '.echo', '.echo hi', '? 1', '?', 'dps @rsp L2', 'k',
  '$$>a< s.txt', '$$< s.txt', '$$>< s.txt', 'nosuch', '!nosuch', '.time', '\\', '`', "'", '[', ']',
];

function randomText(next: () => number, maxPieces: number): string {
  const n = 1 + Math.floor(next() * maxPieces);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += next() < 0.1 ? String.fromCharCode(32 + Math.floor(next() * 95)) : PIECES[Math.floor(next() * PIECES.length)]!;
    if (next() < 0.5) s += ' ';
  }
  return s.slice(0, 160);
}

const SIMPLE = ['r $t0 = @$t0 + 1', '.printf "%d %y\\n", @$t0, poi(@rsp)', '.echo v', 'aS /x v @$t0 + 1', 'as /c v ? 2', 'al', 'ad /q v',
  'r $.u0 = @$t0', '? $u0', '.echo ${v} ${/d:v}', 'dps @rsp L1', '.break', '.continue', '.leave', 'nosuch', '$$>a< s.txt 1'];
const CONDS = ['@$t0 < 3', '(@$t0 & 1)', 'poi(@rsp)', '0', '1', '${v}', 'nosym'];

/** A well-formed program of depth `depth`, so loops, blocks and aliases really run. */
function program(next: () => number, depth: number): string {
  const pick = <T,>(a: readonly T[]) => a[Math.floor(next() * a.length)]!;
  const body = () => `{ ${Array.from({ length: 1 + Math.floor(next() * 3) }, () => program(next, depth - 1)).join('; ')} }`;
  if (depth <= 0 || next() < 0.35) return pick(SIMPLE);
  switch (Math.floor(next() * 7)) {
    case 0:
      return `.if (${pick(CONDS)}) ${body()} .elsif (${pick(CONDS)}) ${body()} .else ${body()}`;
    case 1:
      return `.while (${pick(CONDS)}) ${body()}`;
    case 2:
      return `.do ${body()} (${pick(CONDS)})`;
    case 3:
      return `.for (r $t0 = 0; ${pick(CONDS)}; r $t0 = @$t0 + 1) ${body()}`;
    case 4:
      return `.foreach /pS 1 /ps 1 (v { ${pick(SIMPLE)} }) ${body()}`;
    case 5:
      return `.catch ${body()}`;
    default:
      return `.block ${body()}`;
  }
}

/** Deletes, duplicates or inserts a few characters so parsing meets broken text too. */
function mutate(next: () => number, text: string): string {
  let s = text;
  const edits = Math.floor(next() * 3);
  for (let i = 0; i < edits && s.length > 0; i++) {
    const at = Math.floor(next() * s.length);
    const r = next();
    if (r < 0.4) s = s.slice(0, at) + s.slice(at + 1);
    else if (r < 0.7) s = s.slice(0, at) + s[at] + s.slice(at);
    else s = s.slice(0, at) + '{}();"$'[Math.floor(next() * 7)] + s.slice(at);
  }
  return s.slice(0, 400);
}

describe('fuzz: random command lines and scripts', () => {
  beforeAll(() => setMaxSteps(2000));
  afterAll(() => setMaxSteps(DEFAULT_MAX_STEPS));

  it('never throws out of the dispatcher and never reports an internal error', async () => {
    const next = rng(0x5eed);
    const files: Record<string, string> = {};
    let d: Dispatcher = await seedDispatcher(files);
    for (let round = 0; round < 600; round++) {
      // Script bodies: several random lines, run through every script form.
      files['s.txt'] = Array.from({ length: 1 + Math.floor(next() * 5) }, () => randomText(next, 8)).join('\n');
      const line = round % 2 === 0 ? randomText(next, 12) : mutate(next, program(next, 3));
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), 2000);
      let lines;
      try {
        lines = await d.execute(line, { column: 7, signal: ac.signal });
      } catch (e) {
        throw new Error(`line ${JSON.stringify(line)} threw: ${String(e)}`);
      } finally {
        clearTimeout(timer);
      }
      for (const l of lines) {
        if (/internal error/.test(l.text)) throw new Error(`line ${JSON.stringify(line)} (script ${JSON.stringify(files['s.txt'])}): ${l.text}`);
        expect(['output', 'error', 'warning', 'prompt']).toContain(l.role);
      }
      if (d.session.quitRequested) d = await seedDispatcher(files);
    }
  }, 120_000);
});
