import { startStripeSimulator } from '../main/simulators/stripe/stripe-simulator.js';

/**
 * The Stripe simulator in its own process, so the benchmark's RSS and CPU numbers are the
 * engine's alone. Started with `fork` by the benches; options come as one JSON argument.
 * Messages out: {type:'ready', apiBase, apiKey, now, counts, setupMs}; in: {type:'counts'},
 * {type:'advance', seconds, generate} (replies {type:'advanced', now}), {type:'close'}.
 */

interface Options {
  seed: number;
  days: number;
  objectsTarget?: number;
  payoutEveryDays?: number;
}

type Outgoing =
  | { type: 'ready'; apiBase: string; apiKey: string; now: number; counts: Record<string, number>; setupMs: number }
  | { type: 'counts'; counts: Record<string, number>; requestCounts: Record<string, number> }
  | { type: 'advanced'; now: number };

const send = (message: Outgoing): void => {
  process.send?.(message);
};

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Options;
  const started = performance.now();
  const simulator = await startStripeSimulator(options);
  send({
    type: 'ready',
    apiBase: simulator.apiBase,
    apiKey: simulator.apiKey,
    now: simulator.now(),
    counts: simulator.counts(),
    setupMs: Math.round(performance.now() - started),
  });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'counts') {
      send({ type: 'counts', counts: simulator.counts(), requestCounts: Object.fromEntries(simulator.requestCounts) });
    } else if (message.type === 'advance') {
      const { seconds, generate } = message as unknown as { seconds: number; generate: boolean };
      simulator.advanceSeconds(seconds, { generate });
      send({ type: 'advanced', now: simulator.now() });
    } else if (message.type === 'close') {
      void simulator.close().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}

void main();
