/**
 * Builds the benchmark pages with vite, serves the build on loopback with the
 * cross-origin isolation headers, and opens it in Debian's Chromium through Playwright.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { benchViteConfig } from '../vite.config';

/** Chromium flags of the project's Playwright setup (playwright.config.ts). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Extra flag that lets Chromium expose a WebGPU adapter (SwiftShader where no GPU driver is usable). */
export const WEBGPU_ARG = '--enable-unsafe-webgpu';

export interface ServedPages {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  close(): Promise<void>;
}

export interface PageServerOptions {
  /** Folder served under /bench-files/ (generated models). */
  filesDir?: string;
}

/**
 * Builds the pages into a fresh temporary folder and serves them on a free loopback port.
 * `close` stops the server and deletes the build.
 */
export async function buildAndServePages(options: PageServerOptions = {}): Promise<ServedPages> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'gprune-bench-pages-'));
  const config = benchViteConfig({ outDir, filesDir: options.filesDir });
  await build(config);
  const server = await preview({ ...config, preview: { ...config.preview, host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  const address = server.httpServer.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * Launches headless Chromium (/usr/bin/chromium) with the project's flags plus `extraArgs`.
 * With WEBGPU_ARG, --disable-gpu is left out, so a machine with a GPU offers its hardware
 * adapter.
 */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const base = extraArgs.includes(WEBGPU_ARG) ? CHROMIUM_ARGS.filter((arg) => arg !== '--disable-gpu') : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...base, ...extraArgs] });
}

/** Opens `url` and waits until the page script marked the title "(ready)"; page errors are printed. */
export async function openPage(browser: Browser, url: string, deviceScaleFactor = 1): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console.error(`page ${message.type()}: ${message.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => document.title.endsWith('(ready)'), undefined, { timeout: 60_000 });
  return page;
}
