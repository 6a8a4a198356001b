/**
 * `blinkup example` (what `npm start` runs): encodes a built-in sample payload and writes every
 * output format into one folder, to show what the codec produces without any set-up.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { cHeader } from '../../export/c-header.js';
import { framesCsv } from '../../export/csv.js';
import { buildManifest } from '../../export/manifest.js';
import { frameFileName, writeFrameFolder } from '../../node/frames-export.js';
import { encodePacket } from '../../packet/encode.js';
import { protectSecrets } from '../../packet/redact.js';
import type { ConfigPayload } from '../../packet/types.js';
import { toLevels } from '../../line/trilevel.js';
import { schedule } from '../../schedule/schedule.js';
import type { CliContext } from '../context.js';
import { writeText } from '../io.js';
import { transmissionSummary, type Transmission } from '../transmission-options.js';

/** The "basic-wifi" golden vector of SDK 0.3.0 (fixtures/trilevel-sdk-0.3.0.json): public sample values. */
export const SAMPLE_PAYLOAD: Readonly<ConfigPayload> = Object.freeze({
  kind: 'config',
  ssid: 'HomeNetwork',
  password: 'correct horse',
  planId: '0123456789abcdef',
  token: 'fedcba9876543210',
});

export const DEFAULT_EXAMPLE_DIR = 'out';

export function registerExample(program: Command, ctx: CliContext): void {
  program
    .command('example')
    .description(`encode a built-in sample payload and write PNG frames, manifest, CSV and C header to ./${DEFAULT_EXAMPLE_DIR}`)
    .option('--out <dir>', 'output folder', DEFAULT_EXAMPLE_DIR)
    .option('--show-secrets', 'show the sample password and token in the manifest and header')
    .action(async (o: { out: string; showSecrets?: boolean }) => {
      const payload = protectSecrets({ ...SAMPLE_PAYLOAD });
      const packet = encodePacket(payload);
      const t: Transmission = { payload, packet, schedule: schedule(toLevels(packet), { fps: 60, refreshHz: 60 }) };
      const showSecrets = o.showSecrets === true;
      const started = performance.now();
      await writeFrameFolder(t.schedule, o.out, { manifest: buildManifest(t, { showSecrets }) });
      await writeText(join(o.out, 'levels.csv'), framesCsv(t.schedule), ctx);
      await writeText(join(o.out, 'blinkup_levels.h'), cHeader(t, { showSecrets }), ctx);
      const ms = performance.now() - started;
      const last = t.schedule.frameCount - 1;
      ctx.stdout.write(
        `Encoded the sample payload (SSID ${JSON.stringify(payload.ssid)}) in ${ms.toFixed(0)} ms: ${transmissionSummary(t)}\n` +
          `  ${join(o.out, frameFileName(0))} … ${frameFileName(last)}  one PNG per frame\n` +
          `  ${join(o.out, 'manifest.json')}  packet, levels and timing (JSON)\n` +
          `  ${join(o.out, 'levels.csv')}  frame,start_ms,duration_ms,level,value\n` +
          `  ${join(o.out, 'blinkup_levels.h')}  C header for LED fixture firmware\n` +
          (showSecrets ? '' : 'The sample password and token are shown as *** in the manifest and header (--show-secrets shows them).\n'),
      );
    });
}
