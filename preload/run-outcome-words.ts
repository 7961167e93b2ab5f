import type { RunView } from './contract.js';

/** A run's outcome in plain words, the same in the window, the run history and `s5sync runs`. */
export function runOutcomeWords(outcome: RunView['outcome']): string {
  switch (outcome) {
    case 'succeeded':
      return 'Finished';
    case 'completed-with-errors':
      return 'Finished, some records not written';
    case 'failed':
      return 'Failed';
    case null:
      return 'Running';
  }
}
