import { redactText, redactValue } from './redact.js';

export interface DiagnosticsInput {
  /** e.g. app, electron, node, chrome, os versions. */
  versions: Record<string, string>;
  /** Public settings (SettingsView): already secret-free, redacted again regardless. */
  settings: unknown;
  lastErrors: { at: string; message: string }[];
  /** Ledger document counts by state. */
  ledgerCounts: Record<string, number>;
}

const section = (title: string, body: string): string => `== ${title} ==\n${body}\n`;

/**
 * A plain-text bundle a bookkeeper can paste into an email to their Sage partner or to us.
 * Everything goes through redaction because error messages can quote connection strings.
 */
export const buildDiagnostics = (input: DiagnosticsInput): string => {
  const versions = Object.entries(input.versions)
    .map(([name, version]) => `${name}: ${redactText(version)}`)
    .join('\n');
  const counts = Object.entries(input.ledgerCounts)
    .map(([state, count]) => `${state}: ${count}`)
    .join('\n');
  const errors =
    input.lastErrors.length === 0
      ? '(none)'
      : input.lastErrors.map((error) => `${error.at}  ${redactText(error.message)}`).join('\n');
  return [
    'Stripe Sync for Sage 500: diagnostics',
    section('Versions', versions || '(none)'),
    section('Settings', JSON.stringify(redactValue(input.settings), null, 2)),
    section('Ledger counts', counts || '(none)'),
    section('Recent errors', errors),
  ].join('\n');
};
