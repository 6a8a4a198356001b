import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeHex16, writeIpv4, writeUtf8 } from '../../src/packet/fields.js';
import { ErrorCode } from '../../src/packet/errors.js';
import { unicodeText } from './arbitraries.js';

describe('writeUtf8', () => {
  it('writes what TextEncoder writes, for any well-formed string', () => {
    fc.assert(
      fc.property(unicodeText(0, 40), (s) => {
        const out = new Uint8Array(200);
        const n = writeUtf8(s, out, 3, 200 - 3, 'x');
        expect(out.subarray(3, 3 + n)).toEqual(new TextEncoder().encode(s));
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('returns -1 when the text does not fit, without writing past the limit', () => {
    const out = new Uint8Array(8).fill(0xaa);
    expect(writeUtf8('abc€', out, 1, 5, 'x')).toBe(-1); // 3 + 3 bytes > 5
    expect(out[6]).toBe(0xaa);
    expect(writeUtf8('abc€', out, 1, 6, 'x')).toBe(6);
  });

  it.each(['\ud800', 'a\udc00b', '\ud83d'])('refuses the lone surrogate in %j', (s) => {
    expect(() => writeUtf8(s, new Uint8Array(8), 0, 8, 'SSID')).toThrow(expect.objectContaining({ code: ErrorCode.PAYLOAD_INVALID }));
  });
});

describe('writeIpv4', () => {
  const parse = (s: string): number[] => {
    const out = new Uint8Array(4);
    writeIpv4(s, out, 0, 'address');
    return Array.from(out);
  };

  it.each([
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['192.168.1.20', [192, 168, 1, 20]],
    [' 10.0.0.1 ', [10, 0, 0, 1]],
  ])('%j → %j', (s, bytes) => {
    expect(parse(s)).toEqual(bytes);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '1.2.3.4.', '.1.2.3', '1..2.3', '1.2.3.256', '1.2.3.1000', '01.2.3.4', '1.2.3.00', '1.2.3.a', '1.2.3.-4', '1,2,3,4', '١.٢.٣.٤'])(
    'refuses %j',
    (s) => {
      expect(() => parse(s)).toThrow(expect.objectContaining({ code: ErrorCode.IPV4_INVALID }));
    },
  );
});

describe('writeHex16', () => {
  it('writes the id byte-reversed, in either case', () => {
    const out = new Uint8Array(8);
    writeHex16('0123456789ABCDEF', out, 0, ErrorCode.PLAN_ID_INVALID, 'plan id');
    expect(Array.from(out)).toEqual([0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01]);
  });

  it.each(['', '0123456789abcde', '0123456789abcdef0', '0123456789abcdeg', '0x23456789abcdef', ' 123456789abcdef'])('refuses %j', (s) => {
    expect(() => writeHex16(s, new Uint8Array(8), 0, ErrorCode.TOKEN_INVALID, 'token')).toThrow(expect.objectContaining({ code: ErrorCode.TOKEN_INVALID }));
  });
});
