import type { RuleRelatedObject } from '../stripe/rule-related-objects.js';

/** PaymentIntents and Products as the business rules read them (core/stripe/rule-related-objects.ts). */
export interface RuleRelatedObjectLedger {
  /** Stores or replaces each object (the newest read wins). */
  upsertRelatedObjects(objects: readonly RuleRelatedObject[]): void;
  getRelatedObject(id: string): RuleRelatedObject | null;
}
