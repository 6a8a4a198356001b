import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_COLORS, readColors } from '../../src/player/colors.js';

function refusal(colors: unknown): { code?: string; message?: string } {
  try {
    readColors(colors as never);
  } catch (err) {
    return err as { code?: string; message?: string };
  }
  throw new Error('expected a refusal');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('readColors', () => {
  it('puts the caller’s colours over the defaults', () => {
    expect(readColors(undefined)).toEqual(DEFAULT_COLORS);
    expect(readColors({ grey: '#9f9f9f' })).toEqual({ ...DEFAULT_COLORS, grey: '#9f9f9f' });
    expect(readColors({ grey: undefined })).toEqual(DEFAULT_COLORS);
  });

  it('asks CSS.supports where the browser has it', () => {
    const supports = vi.fn((property: string, value: string) => property === 'color' && value !== 'gray50');
    vi.stubGlobal('CSS', { supports });
    expect(readColors({ black: 'color(display-p3 0 0 0)' }).black).toBe('color(display-p3 0 0 0)');
    const err = refusal({ grey: 'gray50' });
    expect(err.code).toBe('OPTION_INVALID');
    expect(err.message).toBe('colors.grey "gray50" is not a CSS colour');
    expect(supports).toHaveBeenCalledWith('color', 'gray50');
  });

  it('without CSS.supports, takes hex, rgb(), hsl() and plain words only', () => {
    expect(globalThis.CSS).toBeUndefined();
    for (const ok of ['#000', '#bfbfbf', '#ffffffff', 'rgb(191, 191, 191)', 'rgba(0 0 0 / 100%)', 'hsl(0 0% 75%)', 'grey', 'DarkGray']) {
      expect(readColors({ grey: ok }).grey).toBe(ok);
    }
    for (const bad of ['gray50', '#bfbfb', '#gggggg', 'rgb(1,2', 'url(x.png)', '', 'grey; color: red']) {
      expect(refusal({ grey: bad }).code, bad).toBe('OPTION_INVALID');
    }
  });

  it('refuses a colour that is not opaque: the page behind would show through a level', () => {
    vi.stubGlobal('CSS', { supports: () => true });
    for (const bad of ['transparent', '#fffe', '#ffffff80', 'rgba(255, 255, 255, 0.5)', 'rgb(255 255 255 / 50%)', 'hsla(0, 0%, 75%, 0.9)']) {
      const err = refusal({ grey: bad });
      expect(err.code, bad).toBe('OPTION_INVALID');
      expect(err.message).toBe(`colors.grey "${bad}" is not opaque: the page behind would show through the level`);
    }
    for (const ok of ['#ffff', 'rgba(255, 255, 255, 1)', 'rgb(255 255 255 / 100%)', 'white']) expect(readColors({ white: ok }).white).toBe(ok);
  });

  it('refuses the CSS-wide keywords, which CSS.supports accepts for any property', () => {
    vi.stubGlobal('CSS', { supports: () => true });
    expect(refusal({ white: 'inherit' }).code).toBe('OPTION_INVALID');
    expect(refusal({ white: ' Revert-Layer ' }).code).toBe('OPTION_INVALID');
  });

  it('refuses colours of the wrong type without quoting them', () => {
    expect(refusal({ white: 0xffffff }).message).toBe('colors.white must be a CSS colour string (got a number)');
    expect(refusal('red').message).toBe('colors must be an object with black, grey and/or white (got a string)');
  });
});
