import type { EngineEvent } from '../core/engine/engine-events.js';

/**
 * Prints engine events for people: progress at most twice a second (every line on a
 * non-interactive stream would flood a log), warnings and failures as they happen.
 */
export function createProgressPrinter(write: (line: string) => void, now: () => number = Date.now): (event: EngineEvent) => void {
  let lastProgressAt = 0;
  return (event) => {
    switch (event.type) {
      case 'run-started':
        write(`run ${event.runId} started`);
        return;
      case 'progress': {
        const at = now();
        if (at - lastProgressAt < 500) return;
        lastProgressAt = at;
        const { phase, kind, done, total } = event.progress;
        write(`  ${phase}${kind ? ` ${kind}` : ''}: ${done}${total ? ` of ~${total}` : ''}`);
        return;
      }
      case 'warning':
        write(`  warning: ${event.message}`);
        return;
      case 'document-failed':
        write(`  failed ${event.docKey} (${event.errorClass}): ${event.message}`);
        return;
      case 'run-finished': {
        const s = event.summary;
        write(
          `run ${s.runId} ${s.outcome}: ${s.objectsSeen} objects read, ${s.eventsApplied} events applied, ${s.documentsWritten} Sage documents written, ${s.documentsFailed} failed, ${s.stripeRequests} Stripe requests${s.message ? ` (${s.message})` : ''}`,
        );
        return;
      }
    }
  };
}
