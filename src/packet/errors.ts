/**
 * Every way the codec can refuse input, as a stable code that programs can switch on.
 * Messages are for people and never contain a password or a token.
 */
export const ErrorCode = {
  // payload validation (encoder side)
  SSID_TOO_LONG: 'SSID_TOO_LONG',
  PASSWORD_TOO_LONG: 'PASSWORD_TOO_LONG',
  PASSWORD_TOO_SHORT: 'PASSWORD_TOO_SHORT',
  PASSWORD_NOT_HEX: 'PASSWORD_NOT_HEX',
  PASSWORD_WITHOUT_SSID: 'PASSWORD_WITHOUT_SSID',
  PLAN_ID_INVALID: 'PLAN_ID_INVALID',
  TOKEN_INVALID: 'TOKEN_INVALID',
  IPV4_INVALID: 'IPV4_INVALID',
  NETMASK_INVALID: 'NETMASK_INVALID',
  PROXY_PORT_INVALID: 'PROXY_PORT_INVALID',
  PROXY_HOST_INVALID: 'PROXY_HOST_INVALID',
  PROXY_FIELD_TOO_LONG: 'PROXY_FIELD_TOO_LONG',
  PROXY_PASSWORD_WITHOUT_USER: 'PROXY_PASSWORD_WITHOUT_USER',
  PACKET_TOO_LONG: 'PACKET_TOO_LONG',
  PAYLOAD_INVALID: 'PAYLOAD_INVALID',
  // packet parsing (receiver side)
  TRUNCATED: 'TRUNCATED',
  CRC_MISMATCH: 'CRC_MISMATCH',
  UNKNOWN_ENTRY_TYPE: 'UNKNOWN_ENTRY_TYPE',
  MALFORMED: 'MALFORMED',
  MISSING_ENROLMENT: 'MISSING_ENROLMENT',
  // line code and schedule
  LEVELS_INVALID: 'LEVELS_INVALID',
  RATE_UNSUPPORTED: 'RATE_UNSUPPORTED',
  // inputs to the decoder, readers and tools
  INPUT_INVALID: 'INPUT_INVALID',
  OPTION_INVALID: 'OPTION_INVALID',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The one error type the library throws on bad input. */
export class BlinkUpError extends Error {
  override readonly name = 'BlinkUpError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Type guard usable across module copies (checks the shape, not the prototype). */
export function isBlinkUpError(err: unknown): err is BlinkUpError {
  return err instanceof Error && err.name === 'BlinkUpError' && typeof (err as BlinkUpError).code === 'string';
}

/** "a number", "null", … — what a value of the wrong type is, never the value (it may be a secret). */
export function describeType(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  return `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`;
}
