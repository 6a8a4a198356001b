/**
 * Seeded property tests: any valid payload survives encode → parse, and encode → levels → packet.
 * A failure prints the seed and the shrunk payload; the seed makes every run the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePacket, parsePacket, type ConfigPayload } from '../../src/packet/index.js';
import { frameCount, levelsToPacket, toLevels } from '../../src/line/index.js';
import { configPayload, normalised, payload } from './arbitraries.js';

const RUNS = { seed: 20240601, numRuns: 400 };

describe('round trips of random valid payloads', () => {
  it('encode → parse gives the payload back', () => {
    fc.assert(
      fc.property(payload, (p) => {
        expect(parsePacket(encodePacket(p))).toEqual(normalised(p));
      }),
      RUNS,
    );
  });

  it('encode → levels → packet gives the packet back', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const packet = encodePacket(p);
        const levels = toLevels(packet);
        expect(levels.length).toBe(frameCount(packet.length));
        expect(levelsToPacket(levels)).toEqual(packet);
      }),
      RUNS,
    );
  });

  it('the entries come in the SDK order: SSID, password, static, proxy, enrolment', () => {
    fc.assert(
      fc.property(configPayload, (p) => {
        const packet = encodePacket(p);
        const types: number[] = [];
        for (let o = 1; o < packet.length - 2; o += 2 + packet[o + 1]!) types.push(packet[o]!);
        const expected = [...(p.ssid ? [1, 6] : []), ...(p.staticIp ? [11] : []), ...(p.proxy ? [13] : []), 5];
        expect(types).toEqual(expected);
      }),
      RUNS,
    );
  });
});

describe('named corners', () => {
  const base = { planId: '0123456789ABCDEF', token: 'fedcba9876543210' };
  const everything: ConfigPayload = {
    ...base,
    ssid: 'S'.repeat(32),
    password: 'p'.repeat(63),
    staticIp: { ip: '10.0.0.2', netmask: '255.255.255.0', gateway: '10.0.0.1', dns1: '1.1.1.1', dns2: '8.8.4.4' },
    proxy: { host: 'proxy.corp.example', port: 3128, username: 'alice', password: 'pr0xy' },
  };

  it.each<[string, ConfigPayload]>([
    ['UTF-8 SSID and password', { ...base, ssid: 'Café ☕ 無線', password: 'mot de passe 🔑' }],
    ['32-byte SSID with a 63-character password', { ...base, ssid: 'S'.repeat(32), password: 'p'.repeat(63) }],
    ['64-hex-digit key', { ...base, ssid: 'Lab', password: 'ab'.repeat(32) }],
    ['static addressing with one DNS', { ...base, ssid: 'Lab', password: 'passw0rd', staticIp: { ip: '192.168.0.9', netmask: '255.255.0.0', gateway: '192.168.0.1', dns1: '192.168.0.1' } }],
    ['static addressing with two DNS', { ...base, ssid: 'Lab', password: 'passw0rd', staticIp: everything.staticIp! }],
    ['proxy without credentials', { ...base, ssid: 'Lab', password: 'passw0rd', proxy: { host: '10.1.1.1', port: 80 } }],
    ['proxy with username only', { ...base, ssid: 'Lab', password: 'passw0rd', proxy: { host: 'p', port: 8080, username: 'bob' } }],
    ['proxy with username and password', { ...base, ssid: 'Lab', password: 'passw0rd', proxy: everything.proxy! }],
    ['wired device with static addressing and proxy', { ...base, ssid: '', password: '', staticIp: everything.staticIp!, proxy: everything.proxy! }],
    ['all at once, every field at its limit', everything],
  ])('%s', (_, p) => {
    const packet = encodePacket(p);
    expect(parsePacket(packet)).toEqual(normalised(p));
    expect(parsePacket(levelsToPacket(toLevels(packet)))).toEqual(normalised(p));
  });

  it('the static entry is 16 bytes with one DNS and 20 with two', () => {
    const one = encodePacket({ ...everything, staticIp: { ...everything.staticIp!, dns2: undefined } });
    const two = encodePacket(everything);
    expect(two.length - one.length).toBe(4);
  });
});
