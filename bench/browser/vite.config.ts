/**
 * Vite configuration of the browser benchmark pages (bench/browser/pages): the worker page
 * that runs onnxruntime-web through the studio's web engine, and the heatmap page that
 * draws with the studio's canvas code. The benchmark scripts and e2e/webgpu.spec.ts build
 * and serve it through `benchViteConfig`; the default export allows
 * `npx vite build --config bench/browser/vite.config.ts`.
 */
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { type Connect, type InlineConfig, type Plugin, defineConfig } from 'vite';

const PAGES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pages');

/** URL prefix under which `filesDir` is served (generated models). */
export const FILES_PREFIX = '/bench-files/';

// Cross-origin isolation enables SharedArrayBuffer, which onnxruntime-web needs for WASM threads.
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export interface BenchViteOptions {
  /** Build output folder. @defaultValue bench/browser/pages/dist */
  outDir: string;
  /** Folder served read-only under FILES_PREFIX by the dev and preview servers, if any. */
  filesDir?: string;
}

/** Serves the files under `root` at FILES_PREFIX; paths leaving `root` get 404. */
function serveFolder(root: string): Connect.NextHandleFunction {
  return (request, response, next) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(FILES_PREFIX)) return next();
    const file = path.resolve(root, decodeURIComponent(url.pathname.slice(FILES_PREFIX.length)));
    const stat = file.startsWith(root + path.sep) ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (!stat?.isFile()) {
      response.statusCode = 404;
      response.end('not found');
      return;
    }
    response.writeHead(200, { ...ISOLATION, 'Content-Type': 'application/octet-stream', 'Content-Length': stat.size, 'Cross-Origin-Resource-Policy': 'same-origin' });
    createReadStream(file).pipe(response);
  };
}

function benchFilesPlugin(filesDir: string | undefined): Plugin {
  const root = filesDir ? path.resolve(filesDir) : undefined;
  return {
    name: 'gprune-bench-files',
    configureServer: (server) => void (root && server.middlewares.use(serveFolder(root))),
    configurePreviewServer: (server) => void (root && server.middlewares.use(serveFolder(root))),
  };
}

/** Returns the whole inline configuration for vite's build, preview and createServer APIs (it sets `configFile: false`). */
export function benchViteConfig(options: Partial<BenchViteOptions> = {}): InlineConfig {
  return {
    configFile: false,
    root: PAGES,
    base: '/',
    publicDir: false,
    logLevel: 'warn',
    appType: 'mpa',
    plugins: [react(), benchFilesPlugin(options.filesDir)],
    server: { headers: ISOLATION, fs: { allow: [path.resolve(PAGES, '../../..')] } },
    preview: { headers: ISOLATION },
    worker: { format: 'es' },
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    build: {
      target: 'es2022',
      outDir: options.outDir ?? path.join(PAGES, 'dist'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 4096,
      rolldownOptions: { input: { worker: path.join(PAGES, 'worker.html'), heatmap: path.join(PAGES, 'heatmap.html') } },
    },
  };
}

export default defineConfig(benchViteConfig({ outDir: process.env.GPRUNE_BENCH_OUT, filesDir: process.env.GPRUNE_BENCH_FILES }));
