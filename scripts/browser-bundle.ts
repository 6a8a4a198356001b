/**
 * Browser bundles with esbuild: the whole browser-safe core, the "encode + play" subset an app
 * embeds to flash a packet, and the demo page. Shared by `npm run build:browser`,
 * `npm run demo`, the bundle test and the end-to-end test, so all of them judge the same output.
 *
 * Every build runs a guard that records Node built-ins (`node:fs`, `buffer`, …) instead of failing
 * on the first one, so a leak is reported with the file that imported it.
 */
import { builtinModules } from 'node:module';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What an app needs to flash a packet, imported by name so everything else is tree-shaken. */
export const ENCODE_AND_PLAY_ENTRY = "export { encodePacket, toLevels, schedule, flash, isBlinkUpError } from './src/index.ts';";

/** Size budget for encode + play, min+gzip bytes (issue 5). */
export const ENCODE_AND_PLAY_BUDGET = 8 * 1024;

export interface BundleReport {
  /** Minified JavaScript. */
  readonly code: Uint8Array;
  readonly bytes: number;
  /** Size after gzip -9, the figure that matters for a page load. */
  readonly gzipBytes: number;
  /** Node built-ins the bundle tried to import, each with its importer. Must be empty. */
  readonly nodeImports: readonly string[];
  /** Source files with code in the bundle (after tree-shaking), relative to the project root. */
  readonly inputs: readonly string[];
}

const NODE_BUILTINS = new Set(builtinModules);

function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  return NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0]!);
}

/** Marks Node built-ins external and writes down who imported them. */
function nodeBuiltinGuard(found: string[]): esbuild.Plugin {
  return {
    name: 'node-builtin-guard',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (!isNodeBuiltin(args.path)) return undefined;
        found.push(`${args.path} (imported by ${relative(ROOT, args.importer) || args.importer})`);
        return { path: args.path, external: true };
      });
    },
  };
}

const BROWSER_OPTIONS: esbuild.BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  treeShaking: true,
  legalComments: 'none',
  logLevel: 'silent',
};

/** Bundles one entry (a file, or module source text resolved from the project root) for browsers, in memory. */
export async function bundleForBrowser(entry: { file: string } | { source: string }): Promise<BundleReport> {
  const nodeImports: string[] = [];
  const result = await esbuild.build({
    ...BROWSER_OPTIONS,
    ...('file' in entry ? { entryPoints: [entry.file] } : { stdin: { contents: entry.source, resolveDir: ROOT, loader: 'ts', sourcefile: 'entry.ts' } }),
    write: false,
    metafile: true,
    plugins: [nodeBuiltinGuard(nodeImports)],
  });
  const code = result.outputFiles[0]!.contents;
  return {
    code,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    nodeImports,
    inputs: Object.entries(Object.values(result.metafile.outputs)[0]!.inputs)
      .filter(([file, use]) => use.bytesInOutput > 0 && file !== 'entry.ts')
      .map(([file]) => file),
  };
}

export interface BrowserBundles {
  /** `blinkup.js`: the whole browser-safe core (src/index.ts). */
  readonly core: BundleReport;
  /** `encode-play.js`: encodePacket, toLevels, schedule and flash only (and isBlinkUpError, to tell its errors apart). */
  readonly encodeAndPlay: BundleReport;
}

/** Builds both library bundles into `outDir` (ESM, minified). */
export async function buildBrowserBundles(outDir: string): Promise<BrowserBundles> {
  const [core, encodeAndPlay] = await Promise.all([
    bundleForBrowser({ file: join(ROOT, 'src/index.ts') }),
    bundleForBrowser({ source: ENCODE_AND_PLAY_ENTRY }),
  ]);
  await mkdir(outDir, { recursive: true });
  await Promise.all([writeFile(join(outDir, 'blinkup.js'), core.code), writeFile(join(outDir, 'encode-play.js'), encodeAndPlay.code)]);
  return { core, encodeAndPlay };
}

/** Builds the demo page into `outDir`: index.html, main.js (the library inside) and style.css. */
export async function buildDemo(outDir: string): Promise<void> {
  const nodeImports: string[] = [];
  await esbuild.build({
    ...BROWSER_OPTIONS,
    entryPoints: [join(ROOT, 'demo/main.ts'), join(ROOT, 'demo/style.css')],
    outdir: outDir,
    plugins: [nodeBuiltinGuard(nodeImports)],
  });
  if (nodeImports.length > 0) throw new Error(`the demo page imports Node built-ins: ${nodeImports.join(', ')}`);
  await copyFile(join(ROOT, 'demo/index.html'), join(outDir, 'index.html'));
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(2)} KB`;
}
