/**
 * Future lifecycle steps (a refund two days after a charge, a payout arriving, a dispute
 * closing) waiting for the simulated clock. A binary min-heap on (time, insertion order), so
 * steps due in the same second run in the order they were scheduled.
 */
interface ScheduledAction {
  time: number;
  sequence: number;
  run: () => void;
}

function earlier(a: ScheduledAction, b: ScheduledAction): boolean {
  return a.time < b.time || (a.time === b.time && a.sequence < b.sequence);
}

export class ActionQueue {
  private readonly heap: ScheduledAction[] = [];
  private sequence = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule(time: number, run: () => void): void {
    const heap = this.heap;
    heap.push({ time, sequence: this.sequence++, run });
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!earlier(heap[index] as ScheduledAction, heap[parent] as ScheduledAction)) break;
      [heap[index], heap[parent]] = [heap[parent] as ScheduledAction, heap[index] as ScheduledAction];
      index = parent;
    }
  }

  peekTime(): number | undefined {
    return this.heap[0]?.time;
  }

  /** Removes and returns the earliest action. */
  pop(): ScheduledAction | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && earlier(heap[left] as ScheduledAction, heap[smallest] as ScheduledAction)) smallest = left;
      if (right < heap.length && earlier(heap[right] as ScheduledAction, heap[smallest] as ScheduledAction)) smallest = right;
      if (smallest === index) break;
      [heap[index], heap[smallest]] = [heap[smallest] as ScheduledAction, heap[index] as ScheduledAction];
      index = smallest;
    }
    return top;
  }
}
