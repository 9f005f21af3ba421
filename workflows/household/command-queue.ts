/**
 * Commands are applied one at a time: an update handler and the timer loop may both want to, and
 * each application awaits activities. A promise chain is enough and stays deterministic.
 */
export class CommandQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined).finally(() => this.pending--);
    return result;
  }

  get idle(): boolean {
    return this.pending === 0;
  }
}
