/**
 * Why an object could not be planned. `data` parks the record (the Stripe object is not what
 * we can book), `configuration` pauses the kind until the mapping is fixed, `waiting` means
 * Stripe has not finished the object yet (e.g. a charge whose balance transaction is not
 * there) and planning simply tries again on the next run.
 */
export type PlanningErrorClass = 'data' | 'configuration' | 'waiting';

export class PlanningError extends Error {
  constructor(
    readonly errorClass: PlanningErrorClass,
    message: string,
  ) {
    super(message);
    this.name = 'PlanningError';
  }
}
