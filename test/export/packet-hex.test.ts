import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packetHex, secretRanges } from '../../src/export/packet-hex.js';
import { encodePacket } from '../../src/packet/index.js';
import { payload, utf8Length } from '../packet/arbitraries.js';
import { fromHex, GOLDEN_VECTORS, toHex } from '../packet/vectors.js';

const basic = fromHex(GOLDEN_VECTORS[0]!.packetHex);

describe('packetHex', () => {
  it('shows every byte with showSecrets', () => {
    expect(packetHex(basic, true)).toBe(GOLDEN_VECTORS[0]!.packetHex);
  });

  it('masks the password bytes, the token half of the enrolment and the CRC over them, keeping the layout', () => {
    // L, SSID entry, password entry (type 06, 13 bytes), enrolment (plan id, then token), CRC.
    expect(packetHex(basic, false)).toBe(
      '2e' + '010b486f6d654e6574776f726b' + '060d' + '**'.repeat(13) + '0510' + 'efcdab8967452301' + '**'.repeat(8) + '****',
    );
  });

  it('shows the CRC of a packet without secrets (clear configuration)', () => {
    const clear = encodePacket({ kind: 'clear' });
    expect(packetHex(clear, false)).toBe(toHex(clear));
  });

  it('masks a proxy password and nothing else of the proxy entry', () => {
    const p = encodePacket({ ssid: '', password: '', planId: '0000000000000000', token: '1111111111111111', proxy: { host: 'h', port: 80, username: 'u', password: 'pw' } });
    const hex = packetHex(p, false);
    expect(hex).toContain('0d09' + '5000' + '0168' + '0175' + '02' + '****');
  });

  it('masks exactly the secret bytes of any valid packet', () => {
    fc.assert(
      fc.property(payload, (pl) => {
        const packet = encodePacket(pl);
        const expected = pl.kind === 'clear' ? 0 : utf8Length(pl.password) + 8 + (pl.proxy?.password ? utf8Length(pl.proxy.password) : 0);
        const masked = secretRanges(packet).reduce((n, [a, b]) => n + b - a, 0);
        expect(masked).toBe(expected);
        const hex = packetHex(packet, false);
        expect(hex.length).toBe(packet.length * 2);
        const clear = toHex(packet);
        for (let i = 0; i < hex.length; i += 2) if (hex[i] !== '*') expect(hex.slice(i, i + 2)).toBe(clear.slice(i, i + 2));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('masks everything after the point where a damaged packet stops making sense', () => {
    const damaged = basic.slice();
    damaged[15] = 200; // the password entry (header at byte 14) now claims to run past L
    const hex = packetHex(damaged, false);
    expect(hex.slice(0, 28)).toBe(GOLDEN_VECTORS[0]!.packetHex.slice(0, 28));
    expect(hex.slice(28, -4)).toMatch(/^\*+$/);
    expect(hex.slice(-4)).toBe('****'); // the CRC, computed over the secrets
  });
});
