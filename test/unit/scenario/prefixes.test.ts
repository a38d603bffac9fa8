import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileScenario } from '../../../src/scenario/compile-scenario.js';
import { parseScenario, ScenarioError } from '../../../src/scenario/load-scenario.js';

const SEED = readFileSync('fixtures/clock-watchdog-0x101.yaml', 'utf8');
/** A prime stride keeps the run fast while landing on every kind of position (keys, values, comments). */
const STRIDE = 97;

type Outcome = 'loaded' | 'scenario-error';

function outcome(text: string): Outcome {
  try {
    const { scenario, locate } = parseScenario(text, 'seed.yaml');
    compileScenario(scenario, locate, 'seed.yaml');
    return 'loaded';
  } catch (e) {
    if (e instanceof ScenarioError) {
      // Every message starts with its location.
      expect(e.message).toMatch(/^seed\.yaml:\d+:\d+: \S/);
      return 'scenario-error';
    }
    throw new Error(`prefix of ${text.length} bytes threw ${(e as Error).name}: ${(e as Error).message}`);
  }
}

describe('truncated seed scenarios', () => {
  it(`every ${STRIDE}th-byte prefix either loads or fails with a located ScenarioError`, () => {
    const counts: Record<Outcome, number> = { loaded: 0, 'scenario-error': 0 };
    for (let n = 0; n <= SEED.length; n += STRIDE) counts[outcome(SEED.slice(0, n))]++;
    // Short prefixes lack required keys; once `memory:` starts, cutting between blocks still loads.
    expect(counts['scenario-error']).toBeGreaterThan(100);
    expect(counts.loaded).toBeGreaterThan(5);
  });

  it('the whole file loads', () => {
    expect(outcome(SEED)).toBe('loaded');
  });

  it('a prefix cut inside a hex byte fails on that block, naming its line', () => {
    const cut = SEED.indexOf('f3 90 8b 83') + 4; // "... bytes: f3 9"
    const line = SEED.slice(0, cut).split('\n').length;
    const text = SEED.slice(0, cut);
    expect(() => {
      const { scenario, locate } = parseScenario(text, 'seed.yaml');
      compileScenario(scenario, locate, 'seed.yaml');
    }).toThrow(new RegExp(`^seed\\.yaml:${line}:\\d+: odd number of hex digits`));
  });
});
