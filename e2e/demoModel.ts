/**
 * The demo model of the e2e tests. The app fetches /models/demo/…. When the repository
 * has no public/models/demo/onnx/model.onnx, the tests serve the stories260K fixture from
 * ../shared for those requests (read at test time, never copied).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from '@playwright/test';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHIPPED_DEMO = path.join(REPO_ROOT, 'public/models/demo');
const FIXTURE = path.resolve(REPO_ROOT, '../shared/models/stories260K-llama');

/** Folder the demo model is served from in this run; GPRUNE_E2E_FIXTURE=1 selects the fixture even when the demo exists. */
export const DEMO_DIR = existsSync(path.join(SHIPPED_DEMO, 'onnx/model.onnx')) && process.env.GPRUNE_E2E_FIXTURE !== '1' ? SHIPPED_DEMO : FIXTURE;

/** Whether the run serves the fixture in place of a shipped demo model. */
export const USES_FIXTURE = DEMO_DIR === FIXTURE;

/** Size in bytes of the demo's model.onnx. */
export function demoModelBytes(): number {
  return statSync(path.join(DEMO_DIR, 'onnx/model.onnx')).size;
}

/** Serves /models/demo/* from the fixture when the repository has no demo model. */
export async function serveDemoModel(context: BrowserContext): Promise<void> {
  if (!USES_FIXTURE) return;
  await context.route('**/models/demo/**', async (route) => {
    const relative = decodeURIComponent(new URL(route.request().url()).pathname.replace(/^.*\/models\/demo\//, ''));
    const file = path.join(FIXTURE, relative);
    if (!file.startsWith(FIXTURE + path.sep) || !existsSync(file) || statSync(file).isDirectory()) {
      await route.fulfill({ status: 404, body: 'not found' });
      return;
    }
    await route.fulfill({ status: 200, body: readFileSync(file), headers: { 'Content-Type': 'application/octet-stream', 'Cross-Origin-Resource-Policy': 'same-origin' } });
  });
}
