/** The level lines of `analyze --plot`: the report's black, and the valley the pulses were judged from when it stands apart. */
import { describe, expect, it } from 'vitest';
import { levelLines } from '../../src/cli/analysis-plot.js';
import type { PulseInfo, SignalReport } from '../../src/decoder/index.js';

const report = { black: 336, grey: 1200, white: 1960 } as SignalReport;
const pulse = (black: number): PulseInfo => ({ startS: 0, endS: 0.03, value: 1200, decision: 1, confidence: 0.9, black, grey: 1200, white: 1960, threshold: 1580 }) as PulseInfo;

describe('levelLines', () => {
  it("draws black where the report has it, and a slow LCD's raised valley as a line of its own", () => {
    const lines = levelLines([pulse(550), pulse(550), pulse(550)], report);
    expect(lines.map((l) => [l.label, l.value])).toEqual([
      ['black', 336],
      ['valley between pulses', 550],
      ['grey', 1200],
      ['white', 1960],
      ['grey/white threshold', 1580],
    ]);
  });

  it('draws no valley line where the pulses were judged from black itself', () => {
    expect(levelLines([pulse(340)], report).map((l) => l.label)).toEqual(['black', 'grey', 'white', 'grey/white threshold']);
  });
});
