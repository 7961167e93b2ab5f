import type { DocumentStateName } from '../../../preload/contract.js';

/** The plain names the badges use; the Activity filter offers the same words. */
export const stateNames: Record<DocumentStateName, string> = {
  planned: 'Waiting',
  writing: 'Writing',
  written: 'In Sage',
  failed: 'Failed',
  dead: 'Gave up',
  skipped: 'Skipped',
  shadow: 'Preview only',
};

/** A document state in words, with a colour that is never the only signal. */
export function StateBadge({ state }: { state: DocumentStateName }) {
  return <span className={`state state-${state}`}>{stateNames[state]}</span>;
}
