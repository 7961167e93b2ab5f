import { PlanningError } from './planning-error.js';

/**
 * An object names a balance transaction that another object books. The object is parked as a
 * data issue, and whatever it had planned for that transaction and not written is withdrawn
 * (a plan made before the other claimant was read must not reach Sage beside it).
 */
export class BalanceTransactionClaimed extends PlanningError {
  constructor(
    readonly balanceTransactionId: string,
    message: string,
  ) {
    super('data', message);
    this.name = 'BalanceTransactionClaimed';
  }
}
