/**
 * Runs async tasks one at a time in call order. onnxruntime sessions must not run two
 * inferences at once, and session creation is serialised the same way.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
