/**
 * Keeping secrets out of logs. A payload carries a Wi-Fi password, an enrolment token and maybe
 * a proxy password; printing one by accident (console.log, JSON.stringify, a template string)
 * must not leak them. Reading the fields directly still works, of course.
 */
import type { Payload, ProxyConfig } from './types.js';

export const REDACTED = '***';

/** A copy with password, token and proxy password replaced by "***" (empty values stay empty). */
export function redactPayload(p: Payload): Payload {
  if (p.kind === 'clear') return { kind: 'clear' };
  const out: Payload = { ...p, password: mask(p.password), token: mask(p.token) };
  if (p.staticIp) out.staticIp = { ...p.staticIp };
  if (p.proxy) {
    out.proxy = { ...p.proxy };
    if (p.proxy.password !== undefined) out.proxy.password = mask(p.proxy.password);
  }
  return out;
}

function mask(s: string | undefined): string {
  return s ? REDACTED : (s ?? '');
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The hooks live on a prototype shared by every protected payload (and below, every protected
 * byte array): the decoder protects each packet it finds, and giving each object its own three
 * hidden properties cost more than parsing the packet. Non-enumerable, like any prototype's
 * methods, so spreading, comparing and field access see the plain data.
 */
const PROTECTED_PAYLOAD: object = Object.create(Object.prototype, {
  toJSON: { value: redactedSelf },
  toString: {
    value(this: Payload): string {
      return `[BlinkUp payload ${JSON.stringify(redactPayload(this))}]`;
    },
  },
  [INSPECT]: { value: redactedSelf },
});

/** What JSON.stringify and console.log show of a protected payload. */
function redactedSelf(this: Payload): Payload {
  return redactPayload(this);
}

/** The same for a payload's proxy settings, which a user debugging them logs on their own. */
const PROTECTED_PROXY: object = Object.create(Object.prototype, {
  toJSON: { value: redactedProxy },
  toString: {
    value(this: ProxyConfig): string {
      return `[BlinkUp proxy ${JSON.stringify(redactedProxy.call(this))}]`;
    },
  },
  [INSPECT]: { value: redactedProxy },
});

function redactedProxy(this: ProxyConfig): ProxyConfig {
  return this.password === undefined ? { ...this } : { ...this, password: mask(this.password) };
}

/**
 * Makes JSON.stringify, String() and Node's console.log of `p` show the redacted form — and of
 * its proxy settings, logged on their own.
 */
export function protectSecrets<T extends Payload>(p: T): T {
  if (p.kind !== 'clear' && p.proxy !== undefined && p.proxy !== null && typeof p.proxy === 'object') Object.setPrototypeOf(p.proxy, PROTECTED_PROXY);
  return Object.setPrototypeOf(p, PROTECTED_PAYLOAD) as T;
}

function hiddenBytes(this: Uint8Array): string {
  return `[${this.length} packet bytes, hidden]`;
}

const PROTECTED_BYTES: object = Object.create(Uint8Array.prototype, {
  toJSON: { value: hiddenBytes },
  toString: { value: hiddenBytes },
  [INSPECT]: { value: hiddenBytes },
});

/**
 * The same for raw packet bytes, which hold every secret of the payload: JSON.stringify, String()
 * and Node's console.log show only their length. Indexing, iteration and copies see the bytes.
 */
export function protectBytes(bytes: Uint8Array): Uint8Array {
  return Object.setPrototypeOf(bytes, PROTECTED_BYTES) as Uint8Array;
}
