/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal and --json is off.
 */
import type { ProgressEvent } from '../core/progress';

export interface ProgressBar {
  update(event: ProgressEvent): void;
  done(): void;
}

const WIDTH = 28;

function describe(event: ProgressEvent): string {
  switch (event.phase) {
    case 'profile':
      return `profile ${event.dataset}`;
    case 'eval':
      return `eval ${event.dataset}`;
    case 'search':
      return `search (best loss ${event.bestLoss.toFixed(4)})`;
    case 'export':
      return 'export';
    case 'score':
      return `score ${event.task}`;
  }
}

export function createProgressBar(enabled: boolean): ProgressBar {
  const stream = process.stderr;
  const active = enabled && stream.isTTY === true;
  let started = 0;
  let last = 0;
  let drawn = false;
  let lastPhase = '';
  return {
    update(event) {
      if (!active) return;
      const now = Date.now();
      const key = describe(event).split(' (')[0];
      if (key !== lastPhase) {
        started = now;
        lastPhase = key;
      }
      if (now - last < 80 && event.done < event.total) return;
      last = now;
      const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
      const filled = Math.round(fraction * WIDTH);
      const elapsed = (now - started) / 1000;
      const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : 0;
      const line = `${describe(event)} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${event.done}/${event.total} ${event.unit}  ${elapsed.toFixed(1)}s, ~${eta.toFixed(0)}s left`;
      stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
