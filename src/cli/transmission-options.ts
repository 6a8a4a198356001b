/**
 * The options that say what to send and how fast — shared by every command that produces a
 * transmission (`encode`, and `simulate`, which feeds it through a channel model).
 *
 * Secrets can come from the command line, but there they are visible to every user of the
 * machine (`ps`) and kept in shell history, so each also has a quieter way in:
 *   Wi-Fi password   --password-file <f> (or - for stdin), or BLINKUP_PASSWORD
 *   token            BLINKUP_TOKEN
 *   proxy password   BLINKUP_PROXY_PASSWORD
 * An option on the command line wins over the environment; two options for the same secret
 * are an error.
 */
import type { Command } from 'commander';
import { encodePacket } from '../packet/encode.js';
import { protectSecrets } from '../packet/redact.js';
import type { ConfigPayload, Payload } from '../packet/types.js';
import { toLevels } from '../line/trilevel.js';
import { MAX_FPS, MIN_FPS, schedule, type Schedule } from '../schedule/schedule.js';
import type { CliContext } from './context.js';
import { usageError } from './errors.js';
import { readSecret } from './io.js';
import { parseDecimal, parseHostPort, parseList } from './parse-options.js';

export const SECRET_ENV = {
  password: 'BLINKUP_PASSWORD',
  token: 'BLINKUP_TOKEN',
  proxyPassword: 'BLINKUP_PROXY_PASSWORD',
} as const;

/** Option values as commander hands them over (camel-cased names). */
export interface TransmissionOptionValues {
  ssid?: string;
  password?: string;
  passwordFile?: string;
  planId?: string;
  token?: string;
  static?: string[];
  proxy?: { host: string; port: number };
  proxyUser?: string;
  proxyPassword?: string;
  clear?: boolean;
  fps: number;
  refresh: number;
}

/** One transmission, from payload to timed frames. */
export interface Transmission {
  payload: Payload;
  packet: Uint8Array;
  schedule: Schedule;
}

export function addTransmissionOptions(cmd: Command): Command {
  return cmd
    .option('--ssid <s>', 'Wi-Fi network name (UTF-8, at most 32 bytes); omit for a wired device')
    .option('--password <p>', `Wi-Fi password; visible in the process list, prefer --password-file or ${SECRET_ENV.password}`)
    .option('--password-file <f>', 'read the Wi-Fi password from a file (one line); "-" reads stdin')
    .option('--plan-id <hex16>', 'plan id, 16 hex digits')
    .option('--token <hex16>', `enrolment token, 16 hex digits (or ${SECRET_ENV.token})`)
    .option('--static <ip,netmask,gateway,dns1[,dns2]>', 'static IPv4 addressing instead of DHCP', parseList(4, 5, '192.168.1.20,255.255.255.0,192.168.1.1,192.168.1.1'))
    .option('--proxy <host:port>', 'HTTP proxy for the device', parseHostPort)
    .option('--proxy-user <u>', 'proxy username')
    .option('--proxy-password <p>', `proxy password (or ${SECRET_ENV.proxyPassword}); needs --proxy-user`)
    .option('--clear', 'send the clear-configuration packet instead (a factory sends it after blessing)')
    .option('--fps <n>', `flashing rate in frames per second, ${MIN_FPS}-${MAX_FPS}`, parseDecimal, 60)
    .option('--refresh <hz>', 'refresh rate of the display that shows the frames', parseDecimal, 60);
}

/** Builds the payload the options describe, encodes it and schedules its frames. */
export async function transmissionFromOptions(o: TransmissionOptionValues, ctx: CliContext): Promise<Transmission> {
  const payload = o.clear ? clearPayload(o) : await configPayload(o, ctx);
  const packet = encodePacket(payload);
  return { payload, packet, schedule: schedule(toLevels(packet), { fps: o.fps, refreshHz: o.refresh }) };
}

function clearPayload(o: TransmissionOptionValues): Payload {
  const conflicting = (['ssid', 'password', 'passwordFile', 'planId', 'token', 'static', 'proxy', 'proxyUser', 'proxyPassword'] as const)
    .filter((k) => o[k] !== undefined)
    .map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (conflicting.length > 0) throw usageError(`--clear sends only the clear-configuration packet; remove ${conflicting.join(', ')}`);
  return { kind: 'clear' };
}

/**
 * Node decodes the command line and the environment as UTF-8 and puts U+FFFD where bytes are
 * not (a Latin-1 terminal's "é"): sent as it is, the device would get EF BF BD for each and the
 * password would never match. A file with such bytes is refused the same way (see readSecret).
 */
function utf8Text(value: string | undefined, what: string): string | undefined {
  if (value?.includes('\uFFFD')) throw usageError(`${what} holds bytes that are not UTF-8 (a terminal set to another character set?); give it in UTF-8`);
  return value;
}

async function configPayload(o: TransmissionOptionValues, ctx: CliContext): Promise<ConfigPayload> {
  const ssid = utf8Text(o.ssid, '--ssid') ?? '';
  if (o.planId === undefined) throw usageError('missing --plan-id <hex16> (or --clear for the clear-configuration packet)');
  const token = o.token ?? ctx.env[SECRET_ENV.token];
  if (token === undefined) throw usageError(`missing --token <hex16> (or set ${SECRET_ENV.token})`);
  const payload: ConfigPayload = { kind: 'config', ssid, password: await wifiPassword(o, ssid, ctx), planId: o.planId, token };
  if (o.static) {
    const [ip, netmask, gateway, dns1, dns2] = o.static as [string, string, string, string, string?];
    payload.staticIp = dns2 === undefined ? { ip, netmask, gateway, dns1 } : { ip, netmask, gateway, dns1, dns2 };
  }
  if (o.proxy) {
    payload.proxy = { host: utf8Text(o.proxy.host, '--proxy')!, port: o.proxy.port };
    if (o.proxyUser !== undefined) {
      payload.proxy.username = utf8Text(o.proxyUser, '--proxy-user')!;
      const password = utf8Text(o.proxyPassword ?? ctx.env[SECRET_ENV.proxyPassword], 'the proxy password');
      if (password !== undefined) payload.proxy.password = password;
    } else if (o.proxyPassword !== undefined) {
      payload.proxy.password = o.proxyPassword; // refused by the encoder with its own error code
    }
  } else if (o.proxyUser !== undefined || o.proxyPassword !== undefined) {
    throw usageError('--proxy-user and --proxy-password need --proxy <host:port>');
  }
  return protectSecrets(payload);
}

async function wifiPassword(o: TransmissionOptionValues, ssid: string, ctx: CliContext): Promise<string> {
  if (o.password !== undefined && o.passwordFile !== undefined) throw usageError('give the Wi-Fi password once: --password or --password-file');
  if (o.password !== undefined) return utf8Text(o.password, '--password')!;
  if (o.passwordFile !== undefined) return readSecret(o.passwordFile, ctx, 'Wi-Fi password');
  // The environment is ambient: a wired device (no SSID) ignores a password left there.
  if (ssid === '') return '';
  // A forgotten option or an unset variable must not quietly make an open network's packet:
  // an open network is asked for by name, with an empty --password.
  const fromEnv = ctx.env[SECRET_ENV.password];
  if (fromEnv === undefined) throw usageError(`missing the Wi-Fi password: --password-file <f>, ${SECRET_ENV.password}, or --password (--password '' for an open network)`);
  if (fromEnv === '') throw usageError(`${SECRET_ENV.password} is empty; for an open network pass --password ''`);
  return utf8Text(fromEnv, SECRET_ENV.password)!;
}

/** "854 frames (49-byte packet), 14.23 s on air at 60 fps on a 60 Hz display" */
export function transmissionSummary({ packet, schedule: s }: Transmission): string {
  return `${s.frameCount} frames (${packet.length}-byte packet), ${(s.durationMs / 1000).toFixed(2)} s on air at ${s.fps} fps on a ${s.refreshHz} Hz display`;
}
