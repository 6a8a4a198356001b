import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileChunks } from '../../src/node/byte-source.js';
import { CsvSampleParser, readCsvSamples, type CsvSampleChunk } from '../../src/node/csv-samples.js';
import { Random } from '../../src/util/random.js';
import { chunked, collect, expectBlinkUpError, tempFolder, utf8 } from './helpers.js';

const scopeDir = fileURLToPath(new URL('../../fixtures/scope/', import.meta.url));

async function firstInfo(input: Parameters<typeof readCsvSamples>[0], options = {}) {
  for await (const chunk of readCsvSamples(input, options)) return chunk.info;
  throw new Error('no chunk');
}

describe('readCsvSamples: accepted shapes', () => {
  it('reads one numeric column without times', async () => {
    const got = await collect(readCsvSamples('512\n513\n-4.5\n1e3\n'));
    expect(got.values).toEqual([512, 513, -4.5, 1000]);
    expect(got.times).toBeUndefined();
  });

  it('reads time_s,value with a header line, and reports the columns', async () => {
    const input = 'time_s,value\n0.000,10\n0.001,20\n0.002,30\n';
    const got = await collect(readCsvSamples(input));
    expect(got.values).toEqual([10, 20, 30]);
    expect(got.times).toEqual([0, 0.001, 0.002]);
    const info = await firstInfo(input);
    expect(info).toMatchObject({ valueColumn: 1, timeColumn: 0, columnNames: ['time_s', 'value'], firstDataLine: 2, delimiter: ',' });
  });

  it('takes the time from the second of two columns when the header names it so', async () => {
    const got = await collect(readCsvSamples('value,time_s\n10,0.000\n20,0.001\n'));
    expect(got.values).toEqual([10, 20]);
    expect(got.times).toEqual([0, 0.001]);
    expect(await firstInfo('adc,millis\n10,5\n')).toMatchObject({ valueColumn: 0, timeColumn: 1, timeScale: 1e-3 });
  });

  it('skips a header block repeated where a logger appended a second run to the file', async () => {
    const run = 'Sample Rate (Hz),1000\ntime_s,value\n0.000,5\n0.001,6\n';
    const both = await collect(readCsvSamples(run + run));
    expect(both.values).toEqual([5, 6, 5, 6]);
    expect(both.times).toEqual([0, 0.001, 0, 0.001]);
    // A text line that is no header line of the file is still refused.
    await expect(collect(readCsvSamples(`${run}oops,7\n`))).rejects.toThrow(/line 5, column 1: not a number/);
    await expect(collect(readCsvSamples(`${run}0.002,oops\n`))).rejects.toThrow(/line 5, column 2: not a number/);
  });

  it('handles CRLF, comments, blank lines, a BOM, quotes and spaces around fields', async () => {
    const input = '\uFEFF# capture of 2024-01-01\r\n"time","adc"\r\n\r\n 0.5 , 100 \r\n# pause\r\n1.5,"200"\r\n';
    const got = await collect(readCsvSamples(input));
    expect(got.values).toEqual([100, 200]);
    expect(got.times).toEqual([0.5, 1.5]);
  });

  it('reads semicolon files with a decimal comma, tab and blank separated columns', async () => {
    expect((await collect(readCsvSamples('t;v\n0,001;1,5\n0,002;2,5\n'))).values).toEqual([1.5, 2.5]);
    expect((await collect(readCsvSamples('0.1\t7\n0.2\t8\n'))).times).toEqual([0.1, 0.2]);
    const blank = await collect(readCsvSamples('   0.1    7\n   0.2  8  \n'));
    expect(blank).toMatchObject({ values: [7, 8], times: [0.1, 0.2] });
  });

  it('accepts a last line without a newline and NaN/Infinity as values', async () => {
    const got = await collect(readCsvSamples('1\nNaN\n-Infinity\n4'));
    expect(got.values).toEqual([1, Number.NaN, -Infinity, 4]);
  });

  // C's printf and Python (numpy.savetxt, csv) write infinities as inf, -inf, infinity.
  it('accepts inf, -inf and infinity in any case, as printf and Python write them', async () => {
    const got = await collect(readCsvSamples('1\ninf\n-inf\n+INF\ninfinity\n2\n'));
    expect(got.values).toEqual([1, Infinity, -Infinity, Infinity, Infinity, 2]);
  });

  // A logger that numbers its rows: `n,time_s,value`. The counter is neither time nor value.
  it('a sample counter in front of named time and value columns is skipped', async () => {
    const input = 'n,time_s,value\n0,0.000,10\n1,0.001,20\n2,0.002,30\n';
    expect(await firstInfo(input)).toMatchObject({ timeColumn: 1, valueColumn: 2 });
    const got = await collect(readCsvSamples(input));
    expect(got.values).toEqual([10, 20, 30]);
    expect(got.times).toEqual([0, 0.001, 0.002]);
    expect((await collect(readCsvSamples(input, { timeColumn: false }))).values).toEqual([10, 20, 30]);
    // Without a time column after it, the counter is left alone: Rigol's two channels.
    expect(await firstInfo('Sequence,CH1,CH2\n0,0.1,0.2\n1,0.3,0.4\n')).toMatchObject({ valueColumn: 1 });
  });

  it('converts a time column in ms or µs to seconds', async () => {
    expect((await collect(readCsvSamples('Time (ms),CH1\n1,5\n2,6\n'))).times).toEqual([0.001, 0.002]);
    expect((await collect(readCsvSamples('time_us,v\n1000,5\n'))).times).toEqual([0.001]);
    // An Arduino sketch logging millis() or micros() names the column after the call.
    expect((await collect(readCsvSamples('millis,value\n1,5\n2,6\n'))).times).toEqual([0.001, 0.002]);
    expect((await collect(readCsvSamples('micros,value\n1000,5\n'))).times).toEqual([0.001]);
  });

  it('reads a time column of wall-clock stamps (time of day, ISO 8601) as seconds since the first sample', async () => {
    const iso = await collect(readCsvSamples('timestamp,adc\n2026-11-27T10:00:00.000Z,5\n2026-11-27T10:00:00.001Z,6\n2026-11-27T10:00:00.0025Z,7\n'));
    expect(iso.values).toEqual([5, 6, 7]);
    [0, 0.001, 0.0025].forEach((t, i) => expect(iso.times![i]).toBeCloseTo(t, 9));
    // A space for the T, a zone offset, semicolons; the offset moves every stamp alike.
    const zoned = await collect(readCsvSamples('2026-11-27 10:00:00.000+01:00;5\n2026-11-27 10:00:01.000+01:00;6\n'));
    expect(zoned.values).toEqual([5, 6]);
    expect(zoned.times).toEqual([0, 1]);
    // A time of day, to the microsecond, across midnight.
    const clock = await collect(readCsvSamples('23:59:59.999500,5\n23:59:59.999750,6\n00:00:00.000000,7\n0:00:00.000250,8\n'));
    expect(clock.values).toEqual([5, 6, 7, 8]);
    const expected = [0, 0.00025, 0.0005, 0.00075];
    clock.times!.forEach((t, i) => expect(t).toBeCloseTo(expected[i]!, 9));
    // The Arduino IDE's serial monitor, saved with its timestamps.
    const arduino = await collect(readCsvSamples('10:00:00.123 -> 394\r\n10:00:00.124 -> 401\r\n'));
    expect(arduino.values).toEqual([394, 401]);
    expect(arduino.times![1]).toBeCloseTo(0.001, 9);
    // Told to ignore times (--rate), the stamp is skipped and the number is the value.
    expect((await collect(readCsvSamples('10:00:00.000,5\n10:00:00.001,6\n', { timeColumn: false }))).values).toEqual([5, 6]);
    // A stamp that is no time (25 o'clock) is a bad line like any other.
    const message = await expectBlinkUpError(collect(readCsvSamples('10:00:00.000,5\n25:00:00.001,6\n')), 'INPUT_INVALID');
    expect(message).toBe('line 2, column 1: not a number');
  });

  it('picks columns by index or name, and can ignore times', async () => {
    const input = 'Time,CH1,CH2\n0,1,10\n1,2,20\n';
    expect((await collect(readCsvSamples(input, { valueColumn: 'ch2' }))).values).toEqual([10, 20]);
    expect((await collect(readCsvSamples(input, { valueColumn: 2, timeColumn: false }))).times).toBeUndefined();
    await expectBlinkUpError(collect(readCsvSamples(input, { valueColumn: 'CH9' })), 'OPTION_INVALID');
    await expectBlinkUpError(collect(readCsvSamples(input, { valueColumn: 1, timeColumn: 1 })), 'OPTION_INVALID');
    await expectBlinkUpError(collect(readCsvSamples(input, { valueColumn: -1 })), 'OPTION_INVALID');
  });

  it('yields chunks of chunkSamples and the same samples however the bytes are split', async () => {
    const random = new Random(7);
    const lines = Array.from({ length: 1000 }, (_, i) => `${(i / 1000).toFixed(3)},${random.int(0, 4095)}`);
    const bytes = utf8(`time,value\r\n${lines.join('\r\n')}\r\n`);
    const whole = await collect(readCsvSamples(bytes, { chunkSamples: 300 }));
    expect(whole.sizes).toEqual([300, 300, 300, 100]);
    for (const size of [1, 2, 7, 64, 4096]) {
      const split = await collect(readCsvSamples(chunked(bytes, size), { chunkSamples: 300 }));
      expect(split.values).toEqual(whole.values);
      expect(split.times).toEqual(whole.times);
      // The first chunk is whole (the sample rate is learned from it); none is longer.
      expect(split.sizes[0]).toBe(300);
      expect(Math.max(...split.sizes)).toBe(300);
    }
  });

  it('after a whole first chunk, hands on what each read completed: a live stream does not wait for a chunk to fill', async () => {
    const lines = Array.from({ length: 700 }, (_, i) => `${i}\n`).join('');
    const sizes = (await collect(readCsvSamples(chunked(utf8(`v\n${lines}`), 400), { chunkSamples: 300 }))).sizes;
    expect(sizes[0]).toBe(300);
    // 400 bytes hold about a hundred lines: each read now ends a chunk of its own.
    expect(sizes.length).toBeGreaterThan(5);
    expect(sizes.slice(1).every((n) => n > 0 && n < 300)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(700);
  });

  it('streams a large input without needing it whole', async () => {
    async function* endless(): AsyncGenerator<string> {
      for (let block = 0; block < 50; block++) yield Array.from({ length: 4000 }, (_, i) => `${block * 4000 + i}\n`).join('');
    }
    let count = 0;
    let last = -1;
    for await (const chunk of readCsvSamples(endless())) {
      count += chunk.values.length;
      last = chunk.values[chunk.values.length - 1]!;
    }
    expect(count).toBe(200_000);
    expect(last).toBe(199_999);
  });

  it('reads from files and Node streams', async () => {
    const dir = tempFolder('csv');
    const path = join(dir, 'capture.csv');
    writeFileSync(path, 'v\n1\n2\n3\n');
    expect((await collect(readCsvSamples(fileChunks(path, 3)))).values).toEqual([1, 2, 3]);
    expect((await collect(readCsvSamples(createReadStream(path, { highWaterMark: 2 })))).values).toEqual([1, 2, 3]);
  });

  it('can be driven synchronously with push/finish', () => {
    const parser = new CsvSampleParser({ chunkSamples: 2 });
    const out: CsvSampleChunk[] = [...parser.push(utf8('1\n2\n3')), ...parser.finish()];
    expect(out.map((c) => [...c.values])).toEqual([[1, 2], [3]]);
  });
});

describe('readCsvSamples: oscilloscope exports', () => {
  it('Rigol DS1000Z: the first column counts samples, the interval comes from Increment', async () => {
    const path = join(scopeDir, 'rigol-ds1000z.csv');
    const info = await firstInfo(fileChunks(path));
    expect(info.sampleIntervalS).toBeCloseTo(1e-3, 12);
    expect(info.timeColumn).toBeUndefined();
    expect(info.valueColumn).toBe(1);
    const got = await collect(readCsvSamples(fileChunks(path)));
    expect(got.values).toHaveLength(40);
    expect(got.values[0]).toBeCloseTo(0.046, 3);
    expect(got.values[4]).toBeCloseTo(0.512, 2);
  });

  it('Tektronix MSO: metadata block, Sample Interval, TIME,CH1 columns', async () => {
    const path = join(scopeDir, 'tektronix-mso.csv');
    const info = await firstInfo(fileChunks(path));
    expect(info).toMatchObject({ sampleIntervalS: 1e-3, timeColumn: 0, valueColumn: 1, columnNames: ['TIME', 'CH1'] });
    const got = await collect(readCsvSamples(fileChunks(path)));
    expect(got.values).toHaveLength(40);
    expect(got.times![0]).toBeCloseTo(-0.02, 9);
    expect(got.times![39]! - got.times![38]!).toBeCloseTo(1e-3, 9);
  });

  it('Keysight InfiniiVision: a units row above the data', async () => {
    const got = await collect(readCsvSamples(fileChunks(join(scopeDir, 'keysight-infiniivision.csv'))));
    expect(got.values).toHaveLength(40);
    expect(got.times![1]).toBeCloseTo(-0.019, 9);
  });

  it('takes a sample rate (Hz or kSa/s) as the interval', async () => {
    expect((await firstInfo('Sample Rate (kSa/s),2\nCH1\n1\n')).sampleIntervalS).toBeCloseTo(5e-4, 12);
    expect((await firstInfo('Sampling Rate,1000\n1\n')).sampleIntervalS).toBeCloseTo(1e-3, 12);
  });

  it('reports a full scale stated in the header, next to the sample rate', async () => {
    const info = await firstInfo('# a comment\nSample Rate (Hz),1000\nFull Scale,1023\nvalue\n12\n');
    expect(info).toMatchObject({ fullScale: 1023, valueColumn: 0 });
    expect(info.sampleIntervalS).toBeCloseTo(1e-3, 12);
    expect((await firstInfo('value\n12\n')).fullScale).toBeUndefined();
  });

  it('old Tektronix TDS layout: data in the last two columns', async () => {
    const rows = ['Record Length,4,Points,-0.002,0.1', 'Sample Interval,1e-3,s,-0.001,0.2', ',,,0,0.3', ',,,0.001,0.4'];
    const input = `${rows.join('\n')}\n`;
    expect(await firstInfo(input)).toMatchObject({ timeColumn: 3, valueColumn: 4, sampleIntervalS: 1e-3 });
    expect((await collect(readCsvSamples(input))).values).toEqual([0.3, 0.4]);
  });
});

describe('readCsvSamples: hostile input', () => {
  it('names the line and column of a junk field without echoing it', async () => {
    const secret = 'SuperSecretJunkValue';
    const message = await expectBlinkUpError(collect(readCsvSamples(`t,v\n0,1\n1,2\n2,${secret}\n`)), 'INPUT_INVALID');
    expect(message).toBe('line 4, column 2: not a number');
  });

  it('reads a junk line as a missing sample when the badLine hook says so, and refuses it when it does not', async () => {
    const reasons: string[] = [];
    const take = (reason: string): boolean => reasons.push(reason) <= 2;
    // Without times a missing sample keeps its place (NaN): the samples after it keep their times.
    const plain = await collect(readCsvSamples('1\nERR\n3\n\n4\n', { badLine: take }));
    expect(plain.values).toEqual([1, Number.NaN, 3, 4]);
    // With times the line is left out: the times tell the gap.
    const timed = await collect(readCsvSamples('t,v\n0,1\n0.001,junk\n0.002,3\n', { badLine: take }));
    expect(timed.values).toEqual([1, 3]);
    expect(timed.times).toEqual([0, 0.002]);
    expect(reasons).toEqual(['line 2, column 1: not a number', 'line 3, column 2: not a number']);
    // The hook's third answer is no: the input is refused with the line's reason.
    const message = await expectBlinkUpError(collect(readCsvSamples('1\n2\nthree\n', { badLine: take })), 'INPUT_INVALID');
    expect(message).toBe('line 3, column 1: not a number');
  });

  it('refuses a missing value column mid-file', async () => {
    const message = await expectBlinkUpError(collect(readCsvSamples('0,1\n1,2\n2\n')), 'INPUT_INVALID');
    expect(message).toContain('line 3');
  });

  it('refuses binary data in a CSV', async () => {
    const random = new Random(3);
    const junk = new Uint8Array(5000).map(() => random.int(0, 255));
    junk[10] = 0x0a;
    await expectBlinkUpError(collect(readCsvSamples(junk)), 'INPUT_INVALID');
    const message = await expectBlinkUpError(collect(readCsvSamples(utf8('1\n2\n3\u0000\u0001\n'))), 'INPUT_INVALID');
    expect(message).toMatch(/^line 3: binary data/);
  });

  it('recognises UTF-16 text (as some Windows tools export)', async () => {
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[...'1\n2\n'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(await expectBlinkUpError(collect(readCsvSamples(utf16)), 'INPUT_INVALID')).toMatch(/UTF-16/);
  });

  it('refuses a huge line, whether it arrives whole or in pieces', async () => {
    const huge = utf8(`1\n2\n${'9'.repeat(70_000)}\n3\n`);
    for (const input of [huge, chunked(huge, 1000)]) {
      const message = await expectBlinkUpError(collect(readCsvSamples(input)), 'LIMIT_EXCEEDED');
      expect(message).toMatch(/^line 3 is longer than 65536 bytes/);
    }
    await expectBlinkUpError(collect(readCsvSamples(huge, { maxLineBytes: 80_000 })), 'INPUT_INVALID'); // 70 000 digits: not a number
  });

  it('refuses empty input, header-only files, and endless headers', async () => {
    expect(await expectBlinkUpError(collect(readCsvSamples('')), 'INPUT_INVALID')).toBe('the input is empty');
    await expectBlinkUpError(collect(readCsvSamples('time,value\n# nothing\n\n')), 'INPUT_INVALID');
    const words = 'word\n'.repeat(2000);
    expect(await expectBlinkUpError(collect(readCsvSamples(words)), 'INPUT_INVALID')).toContain('first 1000 lines');
  });

  it('refuses a folder or a missing file where a file is expected', async () => {
    const dir = tempFolder('csv-dir');
    mkdirSync(join(dir, 'sub'));
    expect(await expectBlinkUpError(collect(readCsvSamples(fileChunks(join(dir, 'sub')))), 'INPUT_INVALID')).toContain('folder');
    expect(await expectBlinkUpError(collect(readCsvSamples(fileChunks(join(dir, 'nope.csv')))), 'INPUT_INVALID')).toContain('no such file');
  });

  it('never throws anything but a BlinkUpError on random text', async () => {
    const random = new Random(11);
    const alphabet = '0123456789.,;-+eE \t\r\n#"abcNaI';
    for (let trial = 0; trial < 300; trial++) {
      const text = Array.from({ length: random.int(0, 200) }, () => alphabet[random.int(0, alphabet.length - 1)]).join('');
      await collect(readCsvSamples(chunked(utf8(text), random.int(1, 16)))).catch((err: unknown) => {
        expect((err as Error).name).toBe('BlinkUpError');
      });
    }
  });

  it('never throws anything but a BlinkUpError on clock stamps gone wrong, and gives finite times', async () => {
    const random = new Random(12);
    const stamps = ['2026-11-27T10:00:00.001Z', '23:59:59.999', '2026-11-27 10:00:00+01:00'];
    const alphabet = '0123456789:-+TZ .,';
    for (let trial = 0; trial < 300; trial++) {
      const lines = Array.from({ length: random.int(1, 30) }, (_, i) => {
        const chars = [...stamps[trial % stamps.length]!];
        // Every few lines one character of the stamp changes, is dropped or is doubled.
        if (random.chance(0.3)) chars.splice(random.int(0, chars.length - 1), random.int(0, 2), ...(random.chance(0.5) ? [alphabet[random.int(0, alphabet.length - 1)]!] : []));
        return `${chars.join('')},${i}`;
      });
      const got = await collect(readCsvSamples(chunked(utf8(lines.join('\n')), random.int(1, 16)), { badLine: () => true })).catch((err: unknown) => {
        expect((err as Error).name).toBe('BlinkUpError');
        return undefined;
      });
      for (const t of got?.times ?? []) expect(Number.isFinite(t)).toBe(true);
    }
  });
});
