/**
 * Runs asynchronous work one piece at a time, in the order it was handed in: each piece starts
 * after the previous one settled, whether it succeeded or failed. A failure reaches only the
 * caller of that piece; the queue carries on.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.tail.then(work);
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}
