/**
 * Looking for secrets in text and files: every form a password or token takes when a program
 * prints it by accident — as is, as hex of its UTF-8 (either case), base64, and for a token the
 * byte-reversed hex it has on the wire — and every file under a folder, PNG text chunks included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

export interface Secrets {
  readonly password: string;
  readonly token: string;
  readonly proxyPassword?: string;
}

/** The strings that must not appear: each secret in every printable form. */
export function secretForms(s: Secrets): string[] {
  // Texts shorter than four characters would match by chance: they are not searched for.
  const text = [s.password, s.proxyPassword ?? ''].filter((t) => t.length >= 4);
  const forms: string[] = [];
  for (const t of text) {
    const hex = Buffer.from(t, 'utf8').toString('hex');
    forms.push(t, hex, hex.toUpperCase(), Buffer.from(t, 'utf8').toString('base64'));
  }
  const wire = Buffer.from(s.token, 'hex').reverse().toString('hex');
  forms.push(s.token.toLowerCase(), s.token.toUpperCase(), wire, wire.toUpperCase());
  return forms;
}

/** The forms of `secrets` found in `text` (empty when clean). */
export function findSecrets(text: string, forms: readonly string[]): string[] {
  return forms.filter((f) => text.includes(f));
}

/** The text of a PNG's tEXt, zTXt and iTXt chunks (keywords and values). */
export function pngText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || buf.readUInt32BE(0) !== 0x89504e47) return '';
  const parts: string[] = [];
  for (let at = 8; at + 8 <= buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, Math.min(buf.length, at + 8 + length));
    if (type === 'tEXt') parts.push(data.toString('latin1'));
    else if (type === 'zTXt') {
      const nul = data.indexOf(0);
      parts.push(data.toString('latin1', 0, nul), inflateSync(data.subarray(nul + 2)).toString('latin1'));
    } else if (type === 'iTXt') {
      const nul = data.indexOf(0);
      const compressed = data[nul + 1] === 1;
      let rest = nul + 3;
      for (let k = 0; k < 2; k++) rest = data.indexOf(0, rest) + 1; // language tag, translated keyword
      const value = data.subarray(rest);
      parts.push(data.toString('latin1', 0, nul), (compressed ? inflateSync(value) : value).toString('utf8'));
    }
    at += 12 + length;
  }
  return parts.join('\n');
}

/** Every file under `path` (or the file itself): its bytes as latin-1 text, plus PNG text chunks. */
export function filesText(path: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p)) visit(join(p, name));
      return;
    }
    const bytes = readFileSync(p);
    out.set(p, `${bytes.toString('latin1')}\n${pngText(bytes)}`);
  };
  visit(path);
  return out;
}
