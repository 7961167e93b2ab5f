import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../main/core/async/serial-queue.js';

describe('SerialQueue', () => {
  it('starts each piece of work only after the previous one settled, in order', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const step = (name: string, ms: number) => () =>
      new Promise<string>((resolve) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          resolve(name);
        }, ms);
      });
    const results = await Promise.all([queue.run(step('a', 30)), queue.run(step('b', 1)), queue.run(step('c', 10))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('hands a failure to its own caller only and keeps going', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => Promise.reject(new Error('boom')));
    const next = queue.run(async () => 'after');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
  });
});
