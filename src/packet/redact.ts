/**
 * Keeping secrets out of logs. A payload carries a Wi-Fi password, an enrolment token and maybe
 * a proxy password; printing one by accident (console.log, JSON.stringify, a template string)
 * must not leak them. Reading the fields directly still works, of course.
 */
import type { Payload } from './types.js';

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
 * Makes JSON.stringify, String() and Node's console.log of `p` show the redacted form.
 * The hooks are non-enumerable, so spreading, comparing and field access see the plain data.
 */
export function protectSecrets<T extends Payload>(p: T): T {
  const redacted = (): Payload => redactPayload(p);
  Object.defineProperties(p, {
    toJSON: { value: redacted, enumerable: false, configurable: true },
    toString: { value: () => `[BlinkUp payload ${JSON.stringify(redacted())}]`, enumerable: false, configurable: true },
    [INSPECT]: { value: redacted, enumerable: false, configurable: true },
  });
  return p;
}

/**
 * The same for raw packet bytes, which hold every secret of the payload: JSON.stringify, String()
 * and Node's console.log show only their length. Indexing, iteration and copies see the bytes.
 */
export function protectBytes(bytes: Uint8Array): Uint8Array {
  const shown = (): string => `[${bytes.length} packet bytes, hidden]`;
  Object.defineProperties(bytes, {
    toJSON: { value: shown, enumerable: false, configurable: true },
    toString: { value: shown, enumerable: false, configurable: true },
    [INSPECT]: { value: shown, enumerable: false, configurable: true },
  });
  return bytes;
}
