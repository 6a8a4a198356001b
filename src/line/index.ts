export { toLevels, levelsToBits, bitsToBytes, levelsToPacket, frameCount, Level, PREAMBLE, SYNC_MAGIC, TRAILER_FRAMES } from './trilevel.js';
