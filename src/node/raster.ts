/**
 * A minimal RGB drawing surface for plots: filled and blended rectangles, straight lines,
 * dashed rules and bitmap text, then PNG out. Everything clips to the canvas, so callers can
 * draw without bounds checks.
 */
import { PNG } from 'pngjs';
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './bitmap-font.js';

/** A colour as [red, green, blue], 0–255 each. */
export type Rgb = readonly [number, number, number];

export class Raster {
  /** RGBA pixels, row-major (alpha is always opaque). */
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 4);
    for (let p = 0; p < this.data.length; p += 4) {
      this.data[p] = background[0];
      this.data[p + 1] = background[1];
      this.data[p + 2] = background[2];
      this.data[p + 3] = 255;
    }
  }

  /** Paint one pixel, mixing `alpha` of `color` over what is there. */
  plot(x: number, y: number, color: Rgb, alpha = 1): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const p = (y * this.width + x) * 4;
    if (alpha >= 1) {
      this.data[p] = color[0];
      this.data[p + 1] = color[1];
      this.data[p + 2] = color[2];
      return;
    }
    for (let c = 0; c < 3; c++) this.data[p + c] = Math.round(this.data[p + c]! * (1 - alpha) + color[c]! * alpha);
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb, alpha = 1): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) this.plot(xx, yy, color, alpha);
  }

  /** Horizontal rule from x0 to x1 at y; `dash` > 0 draws dash-long segments with equal gaps. */
  hline(x0: number, x1: number, y: number, color: Rgb, dash = 0): void {
    for (let x = Math.round(Math.min(x0, x1)); x <= Math.max(x0, x1); x++) {
      if (dash > 0 && Math.floor((x - x0) / dash) % 2 === 1) continue;
      this.plot(x, y, color);
    }
  }

  vline(x: number, y0: number, y1: number, color: Rgb): void {
    for (let y = Math.round(Math.min(y0, y1)); y <= Math.round(Math.max(y0, y1)); y++) this.plot(x, y, color);
  }

  /** Straight line between two points (Bresenham). */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
    x0 = Math.round(x0);
    y0 = Math.round(y0);
    x1 = Math.round(x1);
    y1 = Math.round(y1);
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      this.plot(x0, y0, color);
      if (x0 === x1 && y0 === y1) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  /** Width in pixels of `text` at `scale`. */
  static textWidth(text: string, scale = 1): number {
    const n = [...text].length;
    return n === 0 ? 0 : (n * GLYPH_ADVANCE - (GLYPH_ADVANCE - GLYPH_WIDTH)) * scale;
  }

  static textHeight(scale = 1): number {
    return GLYPH_HEIGHT * scale;
  }

  /** Draw `text` with its top-left corner at (x, y), each font pixel a `scale × scale` square. */
  text(x: number, y: number, text: string, color: Rgb, scale = 1): void {
    let left = Math.round(x);
    const top = Math.round(y);
    for (const char of text) {
      const rows = glyph(char);
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        const bits = rows[r]!;
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if (bits & (1 << (GLYPH_WIDTH - 1 - c))) this.fillRect(left + c * scale, top + r * scale, scale, scale, color);
        }
      }
      left += GLYPH_ADVANCE * scale;
    }
  }

  /** The canvas as an RGB PNG. */
  toPng(): Uint8Array {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    const bytes = PNG.sync.write(png, { colorType: 2, inputColorType: 6 });
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}
