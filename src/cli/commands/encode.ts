/**
 * `blinkup encode`: credentials → the frames that carry them, as PNG files, a JSON manifest,
 * CSV rows or a C header.
 *
 * Secrets: the frames (and `levels`, and the C array) are the signal itself and are always
 * written — that is what the command is for. Fields meant for people (the payload and the
 * packet hex in manifests and comments) show secrets only with --show-secrets.
 */
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { cHeader } from '../../export/c-header.js';
import { framesCsv } from '../../export/csv.js';
import { buildManifest, formatManifest } from '../../export/manifest.js';
import { DEFAULT_FRAME_SIZE, frameFileName, writeFrameFolder, type FrameSize } from '../../node/frames-export.js';
import type { CliContext } from '../context.js';
import { usageError } from '../errors.js';
import { describeDestination, writeText } from '../io.js';
import { parseSize } from '../parse-options.js';
import { progressBar } from '../progress.js';
import { addTransmissionOptions, transmissionFromOptions, transmissionSummary, type Transmission, type TransmissionOptionValues } from '../transmission-options.js';

export const ENCODE_FORMATS = ['png', 'json', 'csv', 'c'] as const;
export type EncodeFormat = (typeof ENCODE_FORMATS)[number];
/** Where PNG frames go when --out is not given. */
export const DEFAULT_FRAME_DIR = 'frames';

interface EncodeOptionValues extends TransmissionOptionValues {
  format: EncodeFormat;
  out?: string;
  size?: FrameSize;
  showSecrets?: boolean;
}

export function registerEncode(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('encode')
    .description('encode Wi-Fi credentials and an enrolment token as BlinkUp frames')
    .addHelpText(
      'after',
      `
Formats:
  png   one PNG per frame (frame-00001.png ...) and manifest.json in the --out folder (default ./${DEFAULT_FRAME_DIR})
  json  the manifest: packetHex, levels (one 0/1/2 per frame), fps, timing, payload
  csv   frame,start_ms,duration_ms,level,value
  c     a C header for LED fixture firmware
json, csv and c go to stdout unless --out names a file.

The password and token are shown as "***" in manifests and comments unless --show-secrets;
the frames themselves always carry them: keep the output as private as the password.

Examples:
  $ printf '%s' "$WIFI_PASSWORD" > wifi.txt
  $ blinkup encode --ssid HomeNetwork --password-file wifi.txt --plan-id 0123456789abcdef \\
      --token fedcba9876543210 --out frames
  $ BLINKUP_PASSWORD='correct horse' blinkup encode --ssid HomeNetwork --plan-id 0123456789abcdef \\
      --token fedcba9876543210 --format json --out -
  $ blinkup encode --clear --format c --out blinkup_levels.h`,
    );
  addTransmissionOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(ENCODE_FORMATS).default('png'))
    .option('--out <path>', `output folder (png, default ./${DEFAULT_FRAME_DIR}) or file (json/csv/c, default stdout); "-" is stdout`)
    .option('--size <WxH>', `PNG frame size in pixels (default ${DEFAULT_FRAME_SIZE.width}x${DEFAULT_FRAME_SIZE.height})`, parseSize)
    .option('--show-secrets', 'show password, token and proxy password in manifests and comments')
    .action(async (o: EncodeOptionValues) => {
      checkOutputOptions(o);
      const t = await transmissionFromOptions(o, ctx);
      const destination = await writeEncoded(t, o, ctx);
      ctx.stderr.write(`${transmissionSummary(t)} → ${destination}\n`);
    });
}

function checkOutputOptions(o: EncodeOptionValues): void {
  if (o.format === 'png' && o.out === '-') throw usageError('png frames need a folder; use --format json, csv or c to write to stdout');
  if (o.format !== 'png' && o.size !== undefined) throw usageError('--size applies to --format png only');
}

/** The formats that are one text: how to render each, and its name for the summary line. */
const TEXT_FORMATS: Record<Exclude<EncodeFormat, 'png'>, { name: string; render: (t: Transmission, showSecrets: boolean) => string }> = {
  json: { name: 'JSON manifest', render: (t, showSecrets) => formatManifest(buildManifest(t, { showSecrets })) },
  csv: { name: 'frame CSV', render: (t) => framesCsv(t.schedule) },
  c: { name: 'C header', render: (t, showSecrets) => cHeader(t, { showSecrets }) },
};

/** Writes the chosen format and says where it went. */
async function writeEncoded(t: Transmission, o: EncodeOptionValues, ctx: CliContext): Promise<string> {
  const showSecrets = o.showSecrets === true;
  if (o.format === 'png') return writePngFolder(t, o.out ?? DEFAULT_FRAME_DIR, o.size ?? DEFAULT_FRAME_SIZE, showSecrets, ctx);
  const out = o.out ?? '-';
  const format = TEXT_FORMATS[o.format];
  await writeText(out, format.render(t, showSecrets), ctx);
  return `${describeDestination(out)} (${format.name})`;
}

async function writePngFolder(t: Transmission, dir: string, size: FrameSize, showSecrets: boolean, ctx: CliContext): Promise<string> {
  const bar = progressBar(ctx, 'writing frames', t.schedule.frameCount);
  try {
    await writeFrameFolder(t.schedule, dir, { size, manifest: buildManifest(t, { showSecrets }), onProgress: (n) => bar.update(n) });
  } finally {
    bar.stop();
  }
  return `${join(dir, frameFileName(0))} … ${frameFileName(t.schedule.frameCount - 1)} (${size.width}x${size.height}) and ${join(dir, 'manifest.json')}`;
}
