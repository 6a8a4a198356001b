/**
 * Where the levels are painted: a <canvas> (filled with the level's colour) or any element (its
 * background). A surface remembers what the target looked like before and puts it back, so the
 * page is left as it was found whether the flash finished, failed or was cancelled.
 */
import { BlinkUpError, describeType, ErrorCode } from '../packet/errors.js';
import type { FlashColors } from './colors.js';

export interface Surface {
  /** Show level 0, 1 or 2. */
  paint(level: number): void;
  /** Put the target back as it was. Safe to call more than once. */
  restore(): void;
}

/** A canvas as far as painting needs one (structural, so tests need no DOM). */
type CanvasLike = Pick<HTMLCanvasElement, 'width' | 'height' | 'getContext' | 'ownerDocument'>;
type ElementLike = { readonly style: Pick<CSSStyleDeclaration, 'getPropertyValue' | 'getPropertyPriority' | 'setProperty' | 'removeProperty'> };

function isCanvas(target: unknown): target is CanvasLike {
  return typeof (target as CanvasLike | null)?.getContext === 'function';
}

function isStyled(target: unknown): target is ElementLike {
  const style = (target as ElementLike | null)?.style;
  return typeof style?.setProperty === 'function' && typeof style.getPropertyValue === 'function';
}

/**
 * Refuses (INPUT_INVALID) a target that is neither a <canvas> nor an element (null, an id
 * string, …), or one nobody could see: a flash there would play to the end and report success.
 */
export function checkTarget(target: unknown): asserts target is CanvasLike | ElementLike {
  if (!isCanvas(target) && !isStyled(target)) {
    throw new BlinkUpError(ErrorCode.INPUT_INVALID, `the flash target must be a <canvas> or an HTML element (got ${describeType(target)})`);
  }
  if (isCanvas(target) && !(target.width > 0 && target.height > 0)) {
    throw new BlinkUpError(ErrorCode.INPUT_INVALID, `the canvas is ${target.width}×${target.height} pixels: nothing would show`);
  }
  checkShown(target as Partial<Element>);
}

/** Where the page can say so (a browser; tests' stand-ins skip what they lack): in the document, with a size, not hidden. */
function checkShown(el: Partial<Element>): void {
  const hidden = (why: string): BlinkUpError => new BlinkUpError(ErrorCode.INPUT_INVALID, `the flash target ${why}: nothing would show`);
  if (el.isConnected === false) throw hidden('is not in the document');
  if (typeof el.getBoundingClientRect === 'function') {
    const box = el.getBoundingClientRect();
    if (!(box.width > 0 && box.height > 0)) throw hidden('has no size on the page (display: none, or 0×0)');
  }
  const view = el.ownerDocument?.defaultView;
  if (typeof view?.getComputedStyle === 'function') {
    const visibility = view.getComputedStyle(el as Element).visibility;
    if (visibility === 'hidden' || visibility === 'collapse') throw hidden(`is hidden (visibility: ${visibility})`);
  }
  // Where the browser can tell (Chromium 121+, Firefox 125+, Safari 17.4+): hidden by opacity or
  // content-visibility, its own or an ancestor's.
  const check = (el as { checkVisibility?: (options: object) => boolean }).checkVisibility;
  if (typeof check === 'function' && !check.call(el, { opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) {
    throw hidden('is not rendered visibly (opacity 0, or content-visibility, on it or an ancestor)');
  }
}

export function createSurface(target: unknown, colors: FlashColors): Surface {
  checkTarget(target);
  const palette = [colors.black, colors.grey, colors.white] as const;
  return isCanvas(target) ? canvasSurface(target, palette) : elementSurface(target, palette);
}

function canvasSurface(canvas: CanvasLike, palette: readonly string[]): Surface {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | null;
  if (!ctx) throw new BlinkUpError(ErrorCode.INPUT_INVALID, 'the canvas has no 2D context (is it already used for WebGL?)');
  const { width, height } = canvas;
  // Copy the current picture onto a spare canvas: unlike getImageData this also works when the
  // canvas holds cross-origin images.
  const backup = canvas.ownerDocument.createElement('canvas');
  backup.width = width;
  backup.height = height;
  const backupCtx = backup.getContext('2d');
  backupCtx?.drawImage(canvas as HTMLCanvasElement, 0, 0);
  ctx.save();
  drawPlainly(ctx);
  let restored = false;
  return {
    paint(level) {
      ctx.fillStyle = palette[level]!;
      ctx.fillRect(0, 0, width, height);
    },
    restore() {
      if (restored) return;
      restored = true;
      // The picture goes back while the state is still plain, then the app gets its state back.
      ctx.clearRect(0, 0, width, height);
      if (backupCtx) ctx.drawImage(backup, 0, 0);
      ctx.restore();
    },
  };
}

/**
 * Clears what the app left in the context's drawing state: its transform would shift the levels
 * off part of the canvas, and its alpha, blend mode, filter or shadow would mix them with the
 * picture (and blur the picture put back). A clip region cannot be lifted short of a reset that
 * also wipes the picture, so a clipped canvas flashes only inside its clip (docs/browser.md).
 */
function drawPlainly(ctx: CanvasRenderingContext2D): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalAlpha = 1;
  ctx.globalCompositeOperation = 'source-over';
  ctx.shadowColor = 'transparent'; // a shadow in a transparent colour is not drawn
  if ('filter' in ctx) ctx.filter = 'none'; // where the browser has canvas filters
}

/**
 * Inline properties the flash forces, with !important so that no stylesheet rule wins: no picture
 * over the colour, and no transition or animation, which would smear each level into the next.
 * Longhands (`transition-property`, not `transition`) so that putting one back leaves the rest of
 * an inline `transition: …` as it was. `background-color` is forced level by level.
 */
const FORCED = { 'background-image': 'none', 'transition-property': 'none', 'animation-name': 'none' } as const;

function elementSurface(element: ElementLike, palette: readonly string[]): Surface {
  const style = element.style;
  const saved = ['background-color', ...Object.keys(FORCED)].map((name) => ({
    name,
    value: style.getPropertyValue(name),
    priority: style.getPropertyPriority(name),
  }));
  for (const [name, value] of Object.entries(FORCED)) style.setProperty(name, value, 'important');
  let restored = false;
  return {
    paint(level) {
      style.setProperty('background-color', palette[level]!, 'important');
    },
    restore() {
      if (restored) return;
      restored = true;
      for (const { name, value, priority } of saved) {
        if (value) style.setProperty(name, value, priority);
        else style.removeProperty(name);
      }
    },
  };
}
