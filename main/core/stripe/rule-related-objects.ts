import type { Metadata } from './objects.js';

/**
 * Stripe objects the engine does not book but the business rules read: a charge's
 * PaymentIntent (Stripe Checkout's `payment_intent_data.metadata` lands there, not on the
 * charge) and the Products on invoice lines. Only what a rule condition reads is kept: the id,
 * the metadata and, for a product, its name (shown in the rules editor's pickers).
 */
export interface RuleRelatedObject {
  id: string;
  object: 'payment_intent' | 'product';
  metadata: Metadata;
  /** A product's name; null for a PaymentIntent. */
  name: string | null;
}

/** The rule-related part of a PaymentIntent or Product as Stripe sent it, or null when it is not one. */
export function ruleRelatedObject(value: unknown): RuleRelatedObject | null {
  if (value === null || typeof value !== 'object') return null;
  const { id, object, metadata, name } = value as Record<string, unknown>;
  if (typeof id !== 'string' || (object !== 'payment_intent' && object !== 'product')) return null;
  const kept: Metadata = {};
  if (metadata !== null && typeof metadata === 'object') {
    for (const [key, entry] of Object.entries(metadata)) if (typeof entry === 'string') kept[key] = entry;
  }
  return { id, object, metadata: kept, name: object === 'product' && typeof name === 'string' ? name : null };
}
