/**
 * `decode`'s human output: each packet's fields, timing and quality, each failed transmission's
 * reason, and a short summary of the signal. Rendered from the records of packet-view.ts, which
 * have already masked the secrets.
 */
import type { SignalReport } from '../decoder/types.js';
import { REDACTED } from '../packet/redact.js';
import type { RegionChoice } from '../node/region-brightness.js';
import { clockText, fixed, glitchesText, level, lightStepsText, mainsRipple, percent, plural, rateText, rippleText, signed, stallsText, untimedText } from './format.js';
import type { FailureView, PacketView, QualityView } from './packet-view.js';

const LABEL_WIDTH = 10;

/**
 * A decoded packet as an indented block. `sameAs` is the number of an earlier packet with the
 * same bytes: apps repeat the flash, and printing every field again would bury the news.
 */
export function renderPacket(p: PacketView, number: number, sameAs?: number): string {
  const head = `Packet ${number} at ${span(p.startS, p.endS)}`;
  const q = p.quality;
  const quality = field(
    'quality',
    [
      `bit confidence ${fixed(q.minConfidence, 2)} min, ${fixed(q.meanConfidence, 2)} mean`,
      `grey/white gap ${fixed(q.greyWhiteGap, 2)} of the swing`,
      `${q.repairedBits} ${plural(q.repairedBits, 'bit')} repaired`,
      ...erased(q),
      q.combinedTransmissions > 1 ? `combined from ${q.combinedTransmissions} transmissions` : 'from one transmission',
    ].join(', '),
  );
  if (sameAs !== undefined) return `${head}: the same packet as packet ${sameAs}\n${quality}\n`;
  if (p.kind === 'clear') return `${head}: clear the device's network configuration\n${quality}\n`;
  const lines = [
    head,
    field('SSID', p.ssid ? JSON.stringify(p.ssid) : '(none: a wired device)'),
    field('password', p.password === '' ? '(none: an open network)' : p.password === REDACTED ? `${REDACTED}` : JSON.stringify(p.password)),
    field('plan id', p.planId ?? ''),
    field('token', p.token ?? ''),
  ];
  if (p.staticIp) {
    const s = p.staticIp;
    lines.push(field('static IP', `${s.ip} netmask ${s.netmask} gateway ${s.gateway} DNS ${s.dns1}${s.dns2 ? `, ${s.dns2}` : ''}`));
  }
  if (p.proxy) {
    const x = p.proxy;
    const user = x.username !== undefined ? ` user ${JSON.stringify(x.username)}` : '';
    const password = x.password !== undefined ? ` password ${x.password === REDACTED ? REDACTED : JSON.stringify(x.password)}` : '';
    lines.push(field('proxy', `${x.host}:${x.port}${user}${password}`));
  }
  if (p.packetHex !== REDACTED) lines.push(field('packet', p.packetHex));
  lines.push(quality);
  return `${lines.join('\n')}\n`;
}

/** A transmission that started but gave no packet, and why. */
/** The bits a hole in the samples erased, as a quality item (none when there were none). */
function erased(q: QualityView): string[] {
  return q.erasedBits > 0 ? [`${q.erasedBits} ${plural(q.erasedBits, 'bit')} erased where samples were missing`] : [];
}

export function renderFailure(f: FailureView): string {
  if (f.type === 'sync-lost') {
    return `Transmission lost at ${fixed(f.atS, 2)} s after ${f.bitsReceived} ${plural(f.bitsReceived, 'bit')}: ${f.reason}\n`;
  }
  const lines = [
    `Transmission at ${span(f.startS, f.endS)} failed: ${f.reason} (${f.code})`,
    field('quality', [`bit confidence ${fixed(f.quality.minConfidence, 2)} min, ${fixed(f.quality.meanConfidence, 2)} mean`, ...erased(f.quality)].join(', ')),
  ];
  if (f.packetHex !== REDACTED) lines.push(field('received', f.packetHex));
  return `${lines.join('\n')}\n`;
}

/** What the decoder learned about the signal, in two or three lines. */
export function renderSignal(
  r: SignalReport,
  input: { samples: number; missing?: number; durationS: number; sampleRate: number | undefined; timing: string | undefined; fullScaleKnown?: boolean },
): string {
  const rate = rateText(input.sampleRate, input.timing);
  const missing = input.missing ? ` (and ${input.missing} missing: not numbers)` : '';
  const lines = [`Signal: ${input.samples} samples${missing} in ${fixed(input.durationS, 2)} s${rate}`];
  if (r.swing > 0) {
    lines.push(
      `  levels black ${level(r.black)}, grey ${level(r.grey)}, white ${level(r.white)}` +
        (input.fullScaleKnown === false ? `: swing ${level(r.swing)} (full scale unknown)` : ` of ${level(r.fullScale)}: swing ${fixed(r.swingFraction, 3)} of full scale`) +
        `, noise ${level(r.noiseRms)} rms, SNR ${fixed(r.snrDb, 1)} dB` +
        (Number.isFinite(r.marginSigmas) ? `, margin ${fixed(r.marginSigmas, 1)} σ` : ''),
    );
    lines.push(
      (r.fps > 0 ? `  flashing at ${fixed(r.fps, 2)} fps (nominal ${r.nominalFps}, ${clockText(r)}), ${r.heldLevels} held ${plural(r.heldLevels, 'level')}` : `  ${untimedText(r.timedPeriods)}`) +
        `, saturation ${percent(r.saturationFraction)}`,
    );
  } else {
    lines.push(`  ${r.levelsOutOfOrder ? 'levels unknown: they lost their order (black < grey < white) as the light changed' : 'no preamble found: levels unknown'} (noise ${level(r.noiseRms)} rms)`);
  }
  const repairs = signalRepairs(r);
  if (repairs) lines.push(`  ${repairs}`);
  return `${lines.join('\n')}\n`;
}

/** What the decoder took out of the signal before reading it: room-light flicker, dropped camera frames. */
function signalRepairs(r: SignalReport): string {
  const parts: string[] = [];
  if (r.flickerHz !== undefined && r.flickerAmplitude !== undefined) {
    parts.push(`room-light flicker at ${fixed(r.flickerHz, 1)} Hz cancelled (${level(2 * r.flickerAmplitude)} peak-to-peak)`);
  }
  // (Repeats are counted too: a constant-rate video fills a dropped frame's slot with a copy, and
  // a video converted to a higher rate than the camera's repeats every frame.)
  if (r.missingFrames > 0) parts.push(`${r.missingFrames} camera ${plural(r.missingFrames, 'frame')} dropped or repeated, kept on the frame grid as missing`);
  if (r.timestampRestarts > 0) parts.push(`the timestamps restarted ${r.timestampRestarts === 1 ? 'once' : `${r.timestampRestarts} times`}: the samples after were placed right after those before`);
  if (r.glitchSamples > 0) parts.push(glitchesText(r.glitchSamples));
  if (r.flasherStalls > 0) parts.push(stallsText(r.flasherStalls));
  if (r.lightSteps > 0) parts.push(lightStepsText(r.lightSteps));
  if (mainsRipple(r)) parts.push(rippleText(r.rippleRuns, r.rippleHz!));
  return parts.join('; ');
}

/** "Video 160×120: region x,y,w,h = 56,40,48,40 found automatically (10 % of the frame)", with "from frame N" for a region the search moved to. */
export function renderRegion(region: RegionChoice, frame: { width: number; height: number }): string {
  const { x, y, w, h } = region.roi;
  const how = region.automatic ? 'found automatically' : 'given by --roi';
  // A region the search moved to later applies from that frame on (--json's fromFrame).
  const from = region.fromFrame ? ` from frame ${region.fromFrame}` : '';
  return `Video ${frame.width}×${frame.height}: region x,y,w,h = ${x},${y},${w},${h} ${how}${from} (${percent(region.coverage)} of the frame)\n`;
}

function field(label: string, value: string): string {
  return `  ${label.padEnd(LABEL_WIDTH)}${value}`;
}

function span(startS: number, endS: number): string {
  return `${fixed(startS, 2)}–${fixed(endS, 2)} s`;
}
