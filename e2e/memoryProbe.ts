/**
 * Samples the memory of the studio while a test step runs. It reads the studio worker's JS
 * heap and ArrayBuffer backing stores (CDP Runtime.getHeapUsage on the worker target), the
 * page's JS heap, and the renderer process's peak resident set (VmHWM in /proc, Linux only).
 */
import { readFileSync } from 'node:fs';
import type { Browser, CDPSession, Page } from '@playwright/test';

export interface MemoryPeaks {
  /** V8 heap of the studio worker, bytes. */
  workerHeapBytes: number;
  /** ArrayBuffer backing stores of the studio worker, bytes (WebAssembly memory included). */
  workerArrayBufferBytes: number;
  /** The worker's heap plus backing stores at one sample. */
  workerTotalBytes: number;
  /** V8 heap of the page (CDP JSHeapUsedSize), bytes. */
  pageHeapBytes: number;
  /** Peak resident set of the largest renderer process over its life, bytes; 0 where /proc is missing. */
  rendererPeakRssBytes: number;
  samples: number;
}

interface HeapUsage {
  usedSize: number;
  backingStorageSize?: number;
}

/**
 * Attaches to the page's workers without flattening, because Playwright's CDPSession sends
 * no session ids: worker commands go through Target.sendMessageToTarget.
 */
export async function startMemoryProbe(page: Page, browser: Browser, intervalMs = 200): Promise<{ stop(): Promise<MemoryPeaks> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const workers = new Map<string, string>();
  const replies = new Map<number, (value: unknown) => void>();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (event) => {
    if (event.targetInfo.type === 'worker' && !event.targetInfo.title.startsWith('em-pthread')) workers.set(event.sessionId, event.targetInfo.title);
  });
  cdp.on('Target.detachedFromTarget', (event) => workers.delete(event.sessionId));
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (message.id !== undefined) replies.get(message.id)?.(message.result);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await cdp.send('Performance.enable');

  const askWorker = (sessionId: string) =>
    new Promise<HeapUsage | undefined>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => resolve(undefined), 2000);
      replies.set(id, (result) => {
        clearTimeout(timer);
        replies.delete(id);
        resolve(result as HeapUsage);
      });
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) }).catch(() => resolve(undefined));
    });

  const peaks: MemoryPeaks = { workerHeapBytes: 0, workerArrayBufferBytes: 0, workerTotalBytes: 0, pageHeapBytes: 0, rendererPeakRssBytes: 0, samples: 0 };
  let running = true;
  const sample = async () => {
    for (const sessionId of workers.keys()) {
      const usage = await askWorker(sessionId);
      if (!usage) continue;
      const buffers = usage.backingStorageSize ?? 0;
      peaks.workerHeapBytes = Math.max(peaks.workerHeapBytes, usage.usedSize);
      peaks.workerArrayBufferBytes = Math.max(peaks.workerArrayBufferBytes, buffers);
      peaks.workerTotalBytes = Math.max(peaks.workerTotalBytes, usage.usedSize + buffers);
    }
    const metrics = await cdp.send('Performance.getMetrics').catch(() => null);
    const heap = metrics?.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    peaks.pageHeapBytes = Math.max(peaks.pageHeapBytes, heap);
    peaks.samples++;
  };
  const loop = (async () => {
    while (running) {
      await sample().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      peaks.rendererPeakRssBytes = await rendererPeakRss(browser);
      await cdp.detach().catch(() => undefined);
      return peaks;
    },
  };
}

/** Returns the largest VmHWM among the browser's renderer processes, from SystemInfo.getProcessInfo and /proc. */
async function rendererPeakRss(browser: Browser): Promise<number> {
  const session = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    let peak = 0;
    for (const process of processInfo.filter((p) => p.type === 'renderer')) {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${process.id}/status`, 'utf8'));
        if (match) peak = Math.max(peak, Number(match[1]) * 1024);
      } catch {
        // The process ended, or /proc is missing (not Linux).
      }
    }
    return peak;
  } finally {
    await session.detach().catch(() => undefined);
  }
}
