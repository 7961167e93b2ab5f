import type { StatusSnapshot } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { countOf } from '../../../preload/count-words.js';
import { useRequest } from '../use-request.js';
import { formatDateTime, formatMoney } from '../format.js';

const money = formatMoney;
const isZero = (amount: string): boolean => /^-?0(\.0+)?$/.test(amount);

/**
 * Home's balance proof: Stripe's balance against the Sage clearing account, per currency,
 * exact, and what explains any difference in plain words; the transactions are under Details.
 * Reloaded whenever the engine makes a new proof (each run that read Stripe).
 */
export function BalanceProofSection({ status }: { status: StatusSnapshot }) {
  const checkedAt = status.balanceProof?.checkedAt ?? null;
  const detail = useRequest(() => call('getBalanceProof', undefined), [checkedAt]);
  const proof = detail.value;
  return (
    <section aria-labelledby="proof-heading" className="stack">
      <h2 id="proof-heading">Balance proof</h2>
      <ErrorMessage text={detail.error} />
      {!proof ? (
        <p className="muted">{checkedAt === null ? 'Made after the first sync that reads Stripe.' : 'Loading…'}</p>
      ) : (
        <>
          <p className={proof.holds ? 'proof-verdict proof-holds' : 'proof-verdict proof-fails'}>
            {proof.exact
              ? `Sage clearing ${proof.clearingAccount} equals Stripe’s balance exactly.`
              : proof.holds
                ? `Sage clearing ${proof.clearingAccount} is ${money(proof.difference.replace(/^-/, ''), proof.currency)} ${proof.difference.startsWith('-') ? 'more' : 'less'} than Stripe’s balance, and every cent is explained below.`
                : `Does not add up: ${money(proof.unexplained, proof.currency)} of the difference is not explained by any Stripe transaction.`}
          </p>
          <table aria-label="Stripe balance and Sage clearing by currency">
            <thead>
              <tr><th scope="col">Currency</th><th scope="col" className="num">Stripe balance</th><th scope="col" className="num">Sage clearing</th><th scope="col" className="num">Difference</th></tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{proof.currency.toUpperCase()}</th>
                <td className="num">{money(proof.stripeBalance, proof.currency)}</td>
                <td className="num">{money(proof.booked, proof.currency)}</td>
                <td className="num">{money(proof.difference, proof.currency)}</td>
              </tr>
              {proof.otherCurrencies.map((other) => (
                <tr key={other.currency}>
                  <th scope="row">{other.currency.toUpperCase()}</th>
                  <td className="num">{money(other.amount, other.currency)}</td>
                  <td className="num">—</td>
                  <td className="num small">not the Sage home currency</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!isZero(proof.opening) ? (
            <p className="muted small">Includes {money(proof.opening, proof.currency)} Stripe held before the first transaction read.</p>
          ) : null}
          {proof.explanations.length > 0 ? (
            <ul className="list compact" aria-label="What explains the difference">
              {proof.explanations.map((explanation) => (
                <li key={explanation.words}>{explanation.words} ({money(explanation.amount, proof.currency)})</li>
              ))}
            </ul>
          ) : null}
          <details>
            <summary>Details: checked {formatDateTime(proof.checkedAt)}{proof.listed > 0 ? `, ${countOf(proof.listed, 'transaction')} in the difference` : ''}</summary>
            <p className="small">Stripe available {money(proof.stripeAvailable, proof.currency)}, pending {money(proof.stripePending, proof.currency)}.</p>
            {proof.transactions.length > 0 ? (
              <ul className="list compact small">
                {proof.transactions.map((item) => (
                  <li key={item.balanceTransactionId}>
                    <span className="mono">{item.balanceTransactionId}</span> Stripe {money(item.stripeNet, proof.currency)}, Sage {money(item.booked, proof.currency)}: {item.reason}
                  </li>
                ))}
              </ul>
            ) : null}
          </details>
        </>
      )}
    </section>
  );
}
