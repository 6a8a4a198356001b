export { crc16 } from './crc16.js';
export { encodePacket, MAX_SSID_BYTES, MAX_PASSWORD_BYTES, MAX_ENTRIES_BYTES } from './encode.js';
export { parsePacket } from './parse.js';
export { redactPayload, protectSecrets, protectBytes, REDACTED } from './redact.js';
export { BlinkUpError, ErrorCode, isBlinkUpError } from './errors.js';
export { EntryType, isClearPayload } from './types.js';
export type { Payload, ConfigPayload, ClearPayload, StaticConfig, ProxyConfig } from './types.js';
