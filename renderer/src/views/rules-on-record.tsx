import { useState } from 'react';
import type { RuleTestReport } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';

/**
 * The mapping's business rules on one Stripe record, rule by rule and condition by condition:
 * why a rule applies or not, which the Sage documents above cannot say for a rule that did not
 * fire. The same answer as `s5sync rules test --object ID`; asked for each time it is opened,
 * so it follows rules saved since.
 */
export function RulesOnRecord({ stripeObjectId }: { stripeObjectId: string }) {
  const [report, setReport] = useState<RuleTestReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (): void => {
    call('testRules', { stripeObjectId }).then(
      (loaded) => {
        setReport(loaded);
        setError(null);
      },
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  };
  return (
    <details className="card rules-on-record" onToggle={(event) => (event.currentTarget.open ? load() : undefined)}>
      <summary>Business rules on this record</summary>
      <ErrorMessage text={error} />
      {report === null ? (
        error ? null : <p aria-busy="true">Loading…</p>
      ) : report.rules.length === 0 ? (
        <p className="muted">The mapping has no business rules.</p>
      ) : (
        <ol aria-label="Rules on this record">
          {report.rules.map((rule) => (
            <li key={rule.name}>
              <strong>{rule.name}</strong>: {rule.fires ? `applies to this record${rule.note ? ` ${rule.note}` : ''}` : (rule.note ?? 'does not apply')}
              <ul>
                {rule.conditions.map((condition) => (
                  <li key={condition.text}>
                    {condition.holds ? 'holds' : 'does not hold'}: {condition.text}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
