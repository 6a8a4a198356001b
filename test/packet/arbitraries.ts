/** fast-check generators of valid payloads: every field within its limits, any Unicode text. */
import fc from 'fast-check';
import type { ConfigPayload, Payload, ProxyConfig, StaticConfig } from '../../src/packet/types.js';

export const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/**
 * Any Unicode scalar value, mostly printable ASCII, then the rest of the BMP (2- and 3-byte
 * UTF-8), then astral characters (4 bytes, surrogate pairs in JavaScript). Built from code
 * points because fast-check's `unit: 'binary'` strings are a hundred times slower to generate.
 */
const codePoint = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xd7ff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0x10ffff }) },
);

/** Text of up to `maxChars` code points. */
export const unicodeText = (minChars: number, maxChars: number): fc.Arbitrary<string> =>
  fc.array(codePoint, { minLength: minChars, maxLength: maxChars }).map((cps) => String.fromCodePoint(...cps));

/** Text whose UTF-8 form is `min`–`max` bytes. */
export const text = (min: number, max: number): fc.Arbitrary<string> =>
  unicodeText(min, max).filter((s) => utf8Length(s) >= min && utf8Length(s) <= max);

/** A plan id or token: 16 hex digits in either case (the parser gives them back lower-case). */
export const hex16 = fc.stringMatching(/^[0-9a-fA-F]{16}$/);

/** WPA passphrase (8–63 bytes), empty (an open network), a 5-byte WEP key, or a 64-hex-digit key. */
export const wifiPassword = fc.oneof(text(8, 63), fc.constant(''), text(5, 5), fc.stringMatching(/^[0-9a-f]{64}$/));

/** A proxy host: any text without the URL punctuation, spaces and controls no host name holds. */
const proxyHost = text(1, 60).filter((s) => !/[/@?#\\\s\x00-\x1f\x7f]/.test(s));

const netmask = fc.integer({ min: 0, max: 32 }).map((bits) => {
  const v = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [24, 16, 8, 0].map((s) => (v >>> s) & 0xff).join('.');
});

export const staticConfig: fc.Arbitrary<StaticConfig> = fc
  .record({ ip: fc.ipV4(), netmask, gateway: fc.ipV4(), dns1: fc.ipV4(), dns2: fc.option(fc.ipV4(), { nil: undefined }) })
  .map(({ dns2, ...rest }) => (dns2 === undefined ? rest : { ...rest, dns2 }));

/** Proxy fields sized so that a payload with everything at its maximum still fits 255 bytes. */
export const proxyConfig: fc.Arbitrary<ProxyConfig> = fc
  .record({ host: proxyHost, port: fc.integer({ min: 1, max: 65535 }), username: text(1, 20), password: text(1, 20), credentials: fc.constantFrom('none', 'user', 'both') })
  .map(({ credentials, username, password, ...p }) => (credentials === 'none' ? p : credentials === 'user' ? { ...p, username } : { ...p, username, password }));

/** A Wi-Fi (or wired, when the SSID is empty) configuration with any mix of optional parts. */
export const configPayload: fc.Arbitrary<ConfigPayload> = fc
  .record({
    ssid: fc.oneof(text(1, 32), fc.constant('')),
    password: wifiPassword,
    planId: hex16,
    token: hex16,
    staticIp: fc.option(staticConfig, { nil: undefined }),
    proxy: fc.option(proxyConfig, { nil: undefined }),
  })
  .map(({ staticIp, proxy, ...p }) => {
    const out: ConfigPayload = { ...p, password: p.ssid === '' ? '' : p.password };
    if (staticIp) out.staticIp = staticIp;
    if (proxy) out.proxy = proxy;
    return out;
  });

export const payload: fc.Arbitrary<Payload> = fc.oneof({ weight: 19, arbitrary: configPayload }, { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) });

/** The payload as parsePacket returns it: kind set, hex lower-case. */
export function normalised(p: Payload): Payload {
  if (p.kind === 'clear') return p;
  return { kind: 'config', ...p, planId: p.planId.toLowerCase(), token: p.token.toLowerCase() };
}
