/** What a BlinkUp packet carries, as the application sees it. */

/** Entry type bytes of SDK 0.3.0 (PROTOCOL.md §1). */
export const EntryType = {
  WIFI_SSID: 1,
  DISCONNECT: 7,
  CLEAR_TEXT_PASSWORD: 6,
  ENROLMENT: 5,
  NETWORK_STATIC_CONFIG: 11,
  HTTP_PROXY_SETTINGS: 13,
} as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

/** Fixed IPv4 addressing instead of DHCP. Addresses are dotted quads, e.g. "192.168.1.20". */
export interface StaticConfig {
  ip: string;
  netmask: string;
  gateway: string;
  dns1: string;
  /** Optional second DNS server (the entry is 20 bytes instead of 16). */
  dns2?: string;
}

/** HTTP proxy the device should use. A password requires a username. */
export interface ProxyConfig {
  host: string;
  /** 1–65535 */
  port: number;
  username?: string;
  password?: string;
}

/**
 * The normal packet: network credentials and an enrolment token.
 * An empty `ssid` means a wired device: only enrolment (and static/proxy settings) are sent.
 */
export interface ConfigPayload {
  kind?: 'config';
  /** Network name, UTF-8, at most 32 bytes. Empty for wired devices. */
  ssid: string;
  /** WPA passphrase (UTF-8, ≤ 63 bytes) or 64-hex-digit key; empty for an open network. */
  password: string;
  /** Plan id: exactly 16 hex digits. */
  planId: string;
  /** Enrolment token: exactly 16 hex digits. */
  token: string;
  staticIp?: StaticConfig;
  proxy?: ProxyConfig;
}

/** The "clear wireless configuration" packet (`02 07 00` + CRC) a factory sends after blessing. */
export interface ClearPayload {
  kind: 'clear';
}

export type Payload = ConfigPayload | ClearPayload;

export function isClearPayload(p: Payload): p is ClearPayload {
  return p.kind === 'clear';
}
