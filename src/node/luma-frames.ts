/**
 * What the camera readers (Y4M video, PNG frame folders) produce: the luma plane of each
 * frame, in order, with its time when the source tells it. Region brightness consumes these.
 */

/** A luma plane, row-major, `width × height` samples: 8-bit, or 9–16-bit in a Uint16Array. */
export type LumaPlane = Uint8Array | Uint16Array;

export interface LumaFrame {
  /** 0-based frame number in the source. */
  readonly index: number;
  /** Capture time in seconds, when the source has a frame rate or timestamps. */
  readonly timeS?: number;
  readonly luma: LumaPlane;
}

export interface LumaSourceInfo {
  readonly width: number;
  readonly height: number;
  /** Bits per luma sample (8 for Uint8Array planes, 9–16 for Uint16Array planes). */
  readonly bitDepth: number;
  /** Frames per second, when known (Y4M header, or given by the caller). */
  readonly fps?: number;
  /** Number of frames, when known in advance (PNG folders). */
  readonly frameCount?: number;
  /** Video range of the code values, when the source states it (Y4M `XCOLORRANGE`). */
  readonly colorRange?: 'full' | 'limited';
}

/** A camera capture opened for reading: its geometry up front, then its frames one at a time. */
export interface LumaFrameSource {
  readonly info: LumaSourceInfo;
  /** Iterate the frames once. A yielded plane may be reused for the next frame: copy it to keep it. */
  frames(): AsyncGenerator<LumaFrame, void, undefined>;
}
