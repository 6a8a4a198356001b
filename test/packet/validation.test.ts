/**
 * Every rule that refuses input, each with its stable error code, and the promise that no
 * message ever repeats the password or the token.
 */
import { describe, expect, it } from 'vitest';
import { BlinkUpError, ErrorCode, encodePacket, parsePacket, type ConfigPayload, type Payload } from '../../src/packet/index.js';
import { ENROLMENT_DATA, entry, framePacket, utf8 } from './packets.js';
import { fromHex, GOLDEN_VECTORS } from './vectors.js';

const PASSWORD = 'SecretPassw0rd!';
const TOKEN = 'a1b2c3d4e5f60718';
const BASE: ConfigPayload = { ssid: 'HomeNetwork', password: PASSWORD, planId: '0123456789abcdef', token: TOKEN };
const config = (changes: Partial<ConfigPayload>): ConfigPayload => ({ ...BASE, ...changes });
const staticIp = { ip: '192.168.1.20', netmask: '255.255.255.0', gateway: '192.168.1.1', dns1: '192.168.1.1' };
const proxy = { host: 'proxy.example.com', port: 8080 };
const basic = fromHex(GOLDEN_VECTORS[0]!.packetHex);

interface EncodeCase {
  name: string;
  payload: unknown;
  code: ErrorCode;
}

const encodeCases: EncodeCase[] = [
  { name: 'SSID of 33 bytes', payload: config({ ssid: 'x'.repeat(33) }), code: ErrorCode.SSID_TOO_LONG },
  { name: 'SSID of 17 two-byte characters (34 bytes)', payload: config({ ssid: 'é'.repeat(17) }), code: ErrorCode.SSID_TOO_LONG },
  { name: 'password of 65 bytes', payload: config({ password: `${PASSWORD}${'p'.repeat(50)}` }), code: ErrorCode.PASSWORD_TOO_LONG },
  { name: '64-character password that is not hex', payload: config({ password: `${PASSWORD}${'q'.repeat(64 - PASSWORD.length)}` }), code: ErrorCode.PASSWORD_NOT_HEX },
  { name: 'password of 7 bytes (no WPA passphrase is so short)', payload: config({ password: 'passwor' }), code: ErrorCode.PASSWORD_TOO_SHORT },
  { name: 'password of one byte', payload: config({ password: 'p' }), code: ErrorCode.PASSWORD_TOO_SHORT },
  { name: 'password of 6 bytes in 3 characters', payload: config({ password: 'ééé' }), code: ErrorCode.PASSWORD_TOO_SHORT },
  { name: 'password without SSID', payload: config({ ssid: '' }), code: ErrorCode.PASSWORD_WITHOUT_SSID },
  // An open network is asked for by name ('' as the password), never made from a field that is missing.
  { name: 'SSID without a password field', payload: { ssid: 'HomeNetwork', planId: '0123456789abcdef', token: TOKEN }, code: ErrorCode.PAYLOAD_INVALID },
  { name: 'password undefined', payload: config({ password: undefined as unknown as string }), code: ErrorCode.PAYLOAD_INVALID },
  { name: 'password null', payload: config({ password: null as unknown as string }), code: ErrorCode.PAYLOAD_INVALID },
  { name: 'a misspelt field (pasword)', payload: { ssid: 'HomeNetwork', pasword: PASSWORD, planId: '0123456789abcdef', token: TOKEN }, code: ErrorCode.PAYLOAD_INVALID },
  { name: 'a field the packet has no room for', payload: { ...BASE, bssid: '00:11:22:33:44:55' }, code: ErrorCode.PAYLOAD_INVALID },
  { name: 'the clear packet with a field', payload: { kind: 'clear', token: TOKEN }, code: ErrorCode.PAYLOAD_INVALID },
  { name: 'an array', payload: [], code: ErrorCode.PAYLOAD_INVALID },
  { name: 'plan id of 15 hex digits', payload: config({ planId: '0123456789abcde' }), code: ErrorCode.PLAN_ID_INVALID },
  { name: 'plan id with a non-hex digit', payload: config({ planId: '0123456789abcdeg' }), code: ErrorCode.PLAN_ID_INVALID },
  { name: 'token of 17 hex digits', payload: config({ token: `${TOKEN}0` }), code: ErrorCode.TOKEN_INVALID },
  { name: 'token with a non-hex digit', payload: config({ token: `${TOKEN.slice(0, 15)}z` }), code: ErrorCode.TOKEN_INVALID },
  { name: 'missing token', payload: { ...BASE, token: undefined }, code: ErrorCode.TOKEN_INVALID },
  { name: 'IPv4 octet over 255', payload: config({ staticIp: { ...staticIp, ip: '192.168.1.256' } }), code: ErrorCode.IPV4_INVALID },
  { name: 'IPv4 with three parts', payload: config({ staticIp: { ...staticIp, gateway: '192.168.1' } }), code: ErrorCode.IPV4_INVALID },
  { name: 'IPv4 with a leading zero', payload: config({ staticIp: { ...staticIp, dns1: '08.8.8.8' } }), code: ErrorCode.IPV4_INVALID },
  { name: 'bad second DNS', payload: config({ staticIp: { ...staticIp, dns2: 'dns.example' } }), code: ErrorCode.IPV4_INVALID },
  { name: 'non-contiguous netmask', payload: config({ staticIp: { ...staticIp, netmask: '255.0.255.0' } }), code: ErrorCode.NETMASK_INVALID },
  { name: 'proxy port 0', payload: config({ proxy: { ...proxy, port: 0 } }), code: ErrorCode.PROXY_PORT_INVALID },
  { name: 'proxy port 65536', payload: config({ proxy: { ...proxy, port: 65536 } }), code: ErrorCode.PROXY_PORT_INVALID },
  { name: 'fractional proxy port', payload: config({ proxy: { ...proxy, port: 80.5 } }), code: ErrorCode.PROXY_PORT_INVALID },
  { name: 'empty proxy host', payload: config({ proxy: { ...proxy, host: '' } }), code: ErrorCode.PROXY_HOST_INVALID },
  { name: 'proxy host given as a URL with credentials', payload: config({ proxy: { ...proxy, host: 'http://alice:pxSecret99@proxy' } }), code: ErrorCode.PROXY_HOST_INVALID },
  { name: 'proxy host with a space', payload: config({ proxy: { ...proxy, host: 'proxy example' } }), code: ErrorCode.PROXY_HOST_INVALID },
  { name: 'proxy host that is not a string', payload: config({ proxy: { ...proxy, host: 42 as unknown as string } }), code: ErrorCode.PROXY_HOST_INVALID },
  { name: 'proxy port given as a string', payload: config({ proxy: { ...proxy, port: '8080' as unknown as number } }), code: ErrorCode.PROXY_PORT_INVALID },
  { name: 'token given as a number', payload: { ...BASE, token: 1234 }, code: ErrorCode.TOKEN_INVALID },
  { name: 'proxy host of 256 bytes', payload: config({ proxy: { ...proxy, host: 'h'.repeat(256) } }), code: ErrorCode.PROXY_HOST_INVALID },
  { name: 'proxy username of 256 bytes', payload: config({ proxy: { ...proxy, username: 'u'.repeat(256) } }), code: ErrorCode.PROXY_FIELD_TOO_LONG },
  { name: 'proxy password without username', payload: config({ proxy: { ...proxy, password: PASSWORD } }), code: ErrorCode.PROXY_PASSWORD_WITHOUT_USER },
  {
    name: 'entries over 255 bytes in total',
    payload: config({ ssid: 's'.repeat(32), password: PASSWORD, staticIp: { ...staticIp, dns2: '8.8.8.8' }, proxy: { ...proxy, host: 'h'.repeat(160) } }),
    code: ErrorCode.PACKET_TOO_LONG,
  },
  { name: 'one entry over 255 bytes', payload: config({ proxy: { ...proxy, host: 'h'.repeat(200), username: 'u'.repeat(60) } }), code: ErrorCode.PACKET_TOO_LONG },
  { name: 'payload that is not an object', payload: null, code: ErrorCode.PAYLOAD_INVALID },
  { name: 'unknown payload kind', payload: { kind: 'reboot' }, code: ErrorCode.PAYLOAD_INVALID },
  { name: 'SSID that is not a string', payload: { ...BASE, ssid: 42 }, code: ErrorCode.PAYLOAD_INVALID },
  { name: 'SSID with a lone surrogate', payload: config({ ssid: 'Home\ud800' }), code: ErrorCode.PAYLOAD_INVALID },
  { name: 'password with a lone surrogate', payload: config({ password: `${PASSWORD}\udc00` }), code: ErrorCode.PAYLOAD_INVALID },
  { name: 'proxy username that is not a string', payload: config({ proxy: { ...proxy, username: 7 as unknown as string } }), code: ErrorCode.PAYLOAD_INVALID },
];

interface ParseCase {
  name: string;
  bytes: unknown;
  code: ErrorCode;
}

const wifi = [...entry(1, utf8('HomeNetwork')), ...entry(6, utf8(PASSWORD))];
const enrol = entry(5, ENROLMENT_DATA);
const withBadCrc = basic.slice();
withBadCrc[withBadCrc.length - 1]! ^= 0x01;
const withBadByte = basic.slice();
withBadByte[20]! ^= 0x40;

const parseCases: ParseCase[] = [
  { name: 'CRC low byte flipped', bytes: withBadCrc, code: ErrorCode.CRC_MISMATCH },
  { name: 'a data byte flipped', bytes: withBadByte, code: ErrorCode.CRC_MISMATCH },
  { name: 'last byte missing', bytes: basic.subarray(0, basic.length - 1), code: ErrorCode.TRUNCATED },
  { name: 'two bytes only', bytes: Uint8Array.of(2, 7), code: ErrorCode.TRUNCATED },
  { name: 'empty', bytes: new Uint8Array(0), code: ErrorCode.TRUNCATED },
  { name: 'unknown entry type 9', bytes: framePacket([...wifi, ...entry(9, [1, 2]), ...enrol]), code: ErrorCode.UNKNOWN_ENTRY_TYPE },
  { name: 'no enrolment entry', bytes: framePacket(wifi), code: ErrorCode.MISSING_ENROLMENT },
  { name: 'bytes after the CRC', bytes: Uint8Array.of(...basic, 0), code: ErrorCode.MALFORMED },
  { name: 'entry running past L', bytes: framePacket([...enrol, 1, 5, 0x41]), code: ErrorCode.MALFORMED },
  { name: 'lone type byte at the end', bytes: framePacket([...enrol, 1]), code: ErrorCode.MALFORMED },
  { name: 'entry type twice', bytes: framePacket([...entry(1, utf8('a')), ...entry(1, utf8('b')), ...enrol]), code: ErrorCode.MALFORMED },
  { name: 'enrolment of 15 bytes', bytes: framePacket(entry(5, ENROLMENT_DATA.slice(1))), code: ErrorCode.MALFORMED },
  { name: 'disconnect with other entries', bytes: framePacket([...entry(7, []), ...enrol]), code: ErrorCode.MALFORMED },
  { name: 'disconnect with data', bytes: framePacket(entry(7, [0])), code: ErrorCode.MALFORMED },
  { name: 'SSID that is not UTF-8', bytes: framePacket([...entry(1, [0xff, 0xfe]), ...enrol]), code: ErrorCode.MALFORMED },
  { name: 'password without SSID', bytes: framePacket([...entry(6, utf8(PASSWORD)), ...enrol]), code: ErrorCode.MALFORMED },
  { name: 'empty SSID entry', bytes: framePacket([...entry(1, []), ...enrol]), code: ErrorCode.MALFORMED },
  { name: 'static entry with a non-contiguous netmask', bytes: framePacket([...entry(11, [10, 0, 0, 2, 255, 0, 255, 0, 10, 0, 0, 1, 1, 1, 1, 1]), ...enrol]), code: ErrorCode.MALFORMED },
  { name: '64-byte password that is not a hex key', bytes: framePacket([...entry(1, utf8('Lab')), ...entry(6, utf8('k'.repeat(64))), ...enrol]), code: ErrorCode.MALFORMED },
  { name: '4-byte password (no network has one)', bytes: framePacket([...entry(1, utf8('Lab')), ...entry(6, utf8('abcd')), ...enrol]), code: ErrorCode.MALFORMED },
  { name: '7-byte password (no network has one)', bytes: framePacket([...entry(1, utf8('Lab')), ...entry(6, utf8('abcdefg')), ...enrol]), code: ErrorCode.MALFORMED },
  { name: 'static entry of 12 bytes', bytes: framePacket([...entry(11, new Array(12).fill(1)), ...enrol]), code: ErrorCode.MALFORMED },
  { name: 'proxy without host', bytes: framePacket([...entry(13, [0x90, 0x1f, 0]), ...enrol]), code: ErrorCode.MALFORMED },
  { name: 'proxy field running past its entry', bytes: framePacket([...entry(13, [0x90, 0x1f, 9, 0x68]), ...enrol]), code: ErrorCode.MALFORMED },
  { name: 'not a Uint8Array', bytes: Array.from(basic), code: ErrorCode.INPUT_INVALID },
];

function thrown(work: () => unknown): BlinkUpError {
  try {
    work();
  } catch (err) {
    if (err instanceof BlinkUpError) return err;
    throw new Error(`expected a BlinkUpError, got ${String(err)}`);
  }
  throw new Error('expected a BlinkUpError, nothing was thrown');
}

/** Forms a secret could take in a message: as given, upper-cased, and as the packet carries it. */
function secretForms(): string[] {
  const hexOf = (s: string): string => Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join('');
  return [PASSWORD, TOKEN, TOKEN.toUpperCase(), hexOf(PASSWORD), fromHex(TOKEN).reverse().reduce((s, b) => s + b.toString(16).padStart(2, '0'), '')];
}

describe('encodePacket refuses bad payloads with a stable code', () => {
  it.each(encodeCases)('$name → $code', ({ payload, code }) => {
    const err = thrown(() => encodePacket(payload as Payload));
    expect(err.code).toBe(code);
    expect(err.name).toBe('BlinkUpError');
    for (const secret of secretForms()) expect(err.message).not.toContain(secret);
  });
});

describe('parsePacket refuses bad packets with a stable code', () => {
  it.each(parseCases)('$name → $code', ({ bytes, code }) => {
    const err = thrown(() => parsePacket(bytes as Uint8Array));
    expect(err.code).toBe(code);
    for (const secret of secretForms()) expect(err.message).not.toContain(secret);
  });
});

it('every validation code of the packet layer has a case above', () => {
  const covered = new Set<string>([...encodeCases, ...parseCases].map((c) => c.code));
  const packetCodes = Object.values(ErrorCode).filter((c) => !['LEVELS_INVALID', 'RATE_UNSUPPORTED', 'OPTION_INVALID', 'LIMIT_EXCEEDED'].includes(c));
  expect(packetCodes.filter((c) => !covered.has(c))).toEqual([]);
});

it('accepts the edge values the limits allow', () => {
  const edge = config({
    ssid: 'é'.repeat(16),
    password: 'K'.repeat(63),
    staticIp: { ...staticIp, netmask: '0.0.0.0' },
    proxy: { host: 'p', port: 65535 },
  });
  expect(parsePacket(encodePacket(edge))).toEqual({ kind: 'config', ...edge });
  expect(() => encodePacket(config({ password: 'aB'.repeat(32) }))).not.toThrow(); // 64 hex digits: a raw key
  expect(() => encodePacket(config({ proxy: { ...proxy, port: 1 } }))).not.toThrow();
  // The shortest passwords a network has, both ways: a WEP-40 key (5) and a WPA passphrase (8).
  for (const password of ['wep40', 'eight888']) expect(parsePacket(encodePacket(config({ password })))).toMatchObject({ password });
});

it('a payload whose getter encodes another packet gets both packets right', () => {
  const inner = { ssid: 'Inner', password: 'inner pw', planId: 'ffffffffffffffff', token: '0000000000000000' };
  let innerPacket: Uint8Array | undefined;
  const outer = {
    ssid: 'Outer',
    password: 'outer pw',
    planId: '0123456789abcdef',
    get token(): string {
      innerPacket = encodePacket(inner); // runs while the outer packet is half written
      return TOKEN;
    },
  };
  const packet = encodePacket(outer);
  expect(parsePacket(packet)).toEqual({ kind: 'config', ssid: 'Outer', password: 'outer pw', planId: '0123456789abcdef', token: TOKEN });
  expect(parsePacket(innerPacket!)).toEqual({ kind: 'config', ...inner });
});

describe('what encodePacket still takes', () => {
  it('an open network given as an empty password, and a wired device with neither SSID nor password', () => {
    expect(encodePacket({ ...BASE, password: '' }).length).toBeGreaterThan(0);
    expect(encodePacket({ planId: '0123456789abcdef', token: TOKEN } as ConfigPayload).length).toBeGreaterThan(0);
  });

  it('a misspelt field is named, its value never shown', () => {
    const err = thrown(() => encodePacket({ ssid: 'HomeNetwork', pasword: PASSWORD, planId: '0123456789abcdef', token: TOKEN } as unknown as Payload));
    expect(err.message).toBe('unknown payload field "pasword"');
  });
});
