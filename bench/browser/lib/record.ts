/**
 * Header lines of a browser benchmark's record: the command, the machine (lscpu model,
 * cores, memory, Node and onnxruntime versions), the Chromium version and the date.
 */
import type { Browser } from 'playwright-core';
import { commandLine, machineLine } from '../../lib/machine';

export function recordHeader(browser: Browser): string[] {
  return [`command: ${commandLine()}`, `machine: ${machineLine()}`, `browser: Chromium ${browser.version()} (headless, /usr/bin/chromium)`, `date: ${new Date().toISOString()}`];
}
