/**
 * The onnxruntime sessions of one model: a statistics session for profiling (created per
 * ε, released after profiling) and a mask + NLL session for loss estimates, the search and
 * evaluation. Creation and every run go through one Serial queue.
 */
import type { Engine, SessionHandle } from '../../src/core/engine';
import { type LoadedModel, createSession } from '../../src/core/run/loaded';
import { Serial } from './serial';

export class ModelSessions {
  readonly queue = new Serial();
  private statsSession: { epsilon: number; session: Promise<SessionHandle> } | null = null;
  private maskSession: Promise<SessionHandle> | null = null;

  constructor(
    private readonly engine: () => Promise<Engine>,
    private readonly loaded: LoadedModel,
  ) {}

  /** Returns the statistics-instrumented session for ε, replacing one made for another ε. */
  async stats(epsilon: number): Promise<SessionHandle> {
    if (this.statsSession && this.statsSession.epsilon !== epsilon) await this.releaseStats();
    this.statsSession ??= { epsilon, session: this.queue.run(async () => createSession(await this.engine(), this.loaded, { stats: true, masks: false, nll: false, epsilon })) };
    return this.forget(this.statsSession.session, () => (this.statsSession = null));
  }

  /** Returns the session with keep-mask and bias inputs and the per-token NLL output. */
  masks(): Promise<SessionHandle> {
    this.maskSession ??= this.queue.run(async () => createSession(await this.engine(), this.loaded, { stats: false, masks: true, nll: true }));
    return this.forget(this.maskSession, () => (this.maskSession = null));
  }

  async releaseStats(): Promise<void> {
    const pending = this.statsSession;
    this.statsSession = null;
    if (pending) await (await pending.session.catch(() => null))?.release();
  }

  async releaseAll(): Promise<void> {
    await this.releaseStats();
    const pending = this.maskSession;
    this.maskSession = null;
    if (pending) await (await pending.catch(() => null))?.release();
  }

  /** Drops a failed creation so the next call tries again. */
  private async forget(session: Promise<SessionHandle>, reset: () => void): Promise<SessionHandle> {
    try {
      return await session;
    } catch (error) {
      reset();
      throw error;
    }
  }
}
