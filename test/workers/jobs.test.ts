import { describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION_CONFIG } from '../../src/core/pipeline/calibration';
import type { JobProgress } from '../../workers/studio/api';
import { JobRegistry, throttleProgress } from '../../workers/studio/jobs';
import { Serial } from '../../workers/studio/serial';
import { statsCacheKey } from '../../workers/studio/statsCache';

describe('worker helpers', () => {
  it('JobRegistry.cancel() aborts the running job only', async () => {
    const jobs = new JobRegistry();
    const signals: AbortSignal[] = [];
    const first = jobs.run(1, async (signal) => {
      signals.push(signal);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return signal.aborted;
    });
    const second = jobs.run(2, async (signal) => signal.aborted);
    jobs.cancel(1);
    expect(await first).toBe(true);
    expect(await second).toBe(false);
    jobs.cancel(1);
    expect(signals[0].aborted).toBe(true);
  });

  it('JobRegistry.cancel() before the job starts aborts it at start', async () => {
    const jobs = new JobRegistry();
    jobs.cancel(7);
    expect(await jobs.run(7, async (signal) => signal.aborted)).toBe(true);
    expect(await jobs.run(8, async (signal) => signal.aborted)).toBe(false);
    expect(await jobs.run(7, async (signal) => signal.aborted)).toBe(false);
  });

  it('throttleProgress() drops fast events but keeps the last one', () => {
    const seen: JobProgress[] = [];
    const forward = throttleProgress((event) => seen.push(event), 1_000_000);
    const event = (done: number): JobProgress => ({ phase: 'profile', done, total: 10, unit: 'tokens', detail: '' });
    forward(event(1));
    forward(event(5));
    forward(event(10));
    expect(seen.map((e) => e.done)).toEqual([1, 10]);
  });

  it('Serial.run() runs tasks one at a time, also after a failure', async () => {
    const serial = new Serial();
    const order: string[] = [];
    const slow = serial.run(async () => {
      order.push('a start');
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push('a end');
      throw new Error('a failed');
    });
    const fast = serial.run(async () => {
      order.push('b');
      return 2;
    });
    await expect(slow).rejects.toThrow('a failed');
    expect(await fast).toBe(2);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it('statsCacheKey() changes with every setting that changes the statistics', () => {
    const base = statsCacheKey('f'.repeat(64), 'd'.repeat(64), DEFAULT_CALIBRATION_CONFIG);
    expect(statsCacheKey('f'.repeat(64), 'd'.repeat(64), { ...DEFAULT_CALIBRATION_CONFIG, batchSize: 3 })).toBe(base);
    for (const patch of [{ samples: 7 }, { seqlen: 64 }, { seed: 1 }, { epsilon: 0.5 }, { heldOutFraction: 0.5 }]) {
      expect(statsCacheKey('f'.repeat(64), 'd'.repeat(64), { ...DEFAULT_CALIBRATION_CONFIG, ...patch })).not.toBe(base);
    }
    expect(statsCacheKey('e'.repeat(64), 'd'.repeat(64), DEFAULT_CALIBRATION_CONFIG)).not.toBe(base);
  });
});
