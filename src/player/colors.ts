/**
 * The colours of the three levels, checked before anything is painted. A browser silently
 * ignores a colour it cannot parse (in an inline style and in a canvas's fillStyle alike), so a
 * typo such as `gray50` would leave the previous level on screen and corrupt every grey.
 */
import { BlinkUpError, describeType, ErrorCode } from '../packet/errors.js';

/** CSS colours of the three levels. */
export interface FlashColors {
  /** Level 0 (default #000000). */
  readonly black: string;
  /** Level 1 (default #bfbfbf, as SDK 0.3.0). */
  readonly grey: string;
  /** Level 2 (default #ffffff). */
  readonly white: string;
}

export const DEFAULT_COLORS: FlashColors = Object.freeze({ black: '#000000', grey: '#bfbfbf', white: '#ffffff' });

/** Valid for every CSS property, so CSS.supports accepts them, but none names a colour. */
const CSS_WIDE_KEYWORD = /^\s*(?:inherit|initial|unset|revert(?:-layer)?)\s*$/i;

/** Where CSS.supports is missing: hex, rgb()/hsl() and their alpha forms, or a plain word (a named colour). */
const FALLBACK_COLOR = /^\s*(?:#(?:[\da-f]{3,4}|[\da-f]{6}|[\da-f]{8})|(?:rgb|hsl)a?\([^()]*\)|[a-z]+)\s*$/i;

type CssSupports = { supports?: (property: string, value: string) => boolean };

function isColor(value: string): boolean {
  if (CSS_WIDE_KEYWORD.test(value)) return false;
  const css = (globalThis as { CSS?: CssSupports }).CSS;
  return typeof css?.supports === 'function' ? css.supports('color', value) : FALLBACK_COLOR.test(value);
}

/** False for `transparent` and for a colour whose alpha (#rgba, #rrggbbaa, rgba(…, a), rgb(… / a), …) is under 1. */
function isOpaque(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'transparent') return false;
  const hex = /^#(?:[\da-f]{3}([\da-f])|[\da-f]{6}([\da-f]{2}))$/.exec(v);
  if (hex) return (hex[1] ?? hex[2]) === (hex[1] ? 'f' : 'ff');
  const args = /\(([^()]*)\)\s*$/.exec(v)?.[1];
  if (args === undefined) return true; // a named colour
  const slash = args.split('/');
  const commas = args.split(',');
  const alpha = slash.length === 2 ? slash[1]! : commas.length === 4 ? commas[3]! : undefined;
  if (alpha === undefined) return true;
  const a = alpha.trim();
  const amount = a.endsWith('%') ? Number(a.slice(0, -1)) / 100 : Number(a);
  return !(amount < 1);
}

/** The defaults with the caller's colours on top; refuses (OPTION_INVALID) a colour the browser would ignore. */
export function readColors(colors: Partial<FlashColors> | undefined): FlashColors {
  if (colors != null && typeof colors !== 'object') {
    throw new BlinkUpError(ErrorCode.OPTION_INVALID, `colors must be an object with black, grey and/or white (got ${describeType(colors)})`);
  }
  const pick = (name: keyof FlashColors): string => {
    const value: unknown = colors?.[name];
    if (value === undefined) return DEFAULT_COLORS[name];
    if (typeof value !== 'string') {
      throw new BlinkUpError(ErrorCode.OPTION_INVALID, `colors.${name} must be a CSS colour string (got ${describeType(value)})`);
    }
    // A colour is no secret: quoting it (shortened) shows the typo.
    if (!isColor(value)) throw new BlinkUpError(ErrorCode.OPTION_INVALID, `colors.${name} "${value.slice(0, 64)}" is not a CSS colour`);
    if (!isOpaque(value)) throw new BlinkUpError(ErrorCode.OPTION_INVALID, `colors.${name} "${value.slice(0, 64)}" is not opaque: the page behind would show through the level`);
    return value;
  };
  return { black: pick('black'), grey: pick('grey'), white: pick('white') };
}
