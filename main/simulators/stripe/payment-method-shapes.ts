import type Stripe from 'stripe';

/**
 * A charge's `payment_method_details` as the official `stripe` package types it
 * (`satisfies Stripe.Charge.PaymentMethodDetails`, https://docs.stripe.com/api/charges/object):
 * `type` names the method and the object of the same name carries its details. Card brands are
 * Stripe's values (`amex`, `diners`, `discover`, `eftpos_au`, `jcb`, `link`, `mastercard`,
 * `unionpay`, `visa`, `unknown`); a US bank debit is `us_bank_account`
 * (https://docs.stripe.com/payments/ach-direct-debit). The business rules read these two
 * fields (core/rules/rule-facts.ts), so the simulator sends them as Stripe does.
 */

export type CardBrand = 'amex' | 'discover' | 'mastercard' | 'visa';

export interface CardFields {
  brand: CardBrand;
  last4: string;
  expMonth: number;
  expYear: number;
  /** ISO 3166-1 alpha-2 of the issuing bank. */
  country: string;
  funding: 'credit' | 'debit';
  /** What the card was authorised for, in the charge's currency. */
  amountAuthorized: number;
}

export function cardPaymentDetails(fields: CardFields) {
  return {
    type: 'card',
    card: {
      amount_authorized: fields.amountAuthorized,
      authorization_code: null,
      brand: fields.brand,
      checks: { address_line1_check: null, address_postal_code_check: 'pass', cvc_check: 'pass' },
      country: fields.country,
      electronic_commerce_indicator: null,
      exp_month: fields.expMonth,
      exp_year: fields.expYear,
      funding: fields.funding,
      installments: null,
      last4: fields.last4,
      mandate: null,
      network: fields.brand,
      network_transaction_id: null,
      regulated_status: 'unregulated' as const,
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
  } satisfies Stripe.Charge.PaymentMethodDetails;
}

export function usBankAccountPaymentDetails(fields: { last4: string; holder: 'individual' | 'company'; bankName: string; routingNumber: string }) {
  return {
    type: 'us_bank_account',
    us_bank_account: {
      account_holder_type: fields.holder,
      account_type: 'checking' as const,
      bank_name: fields.bankName,
      fingerprint: null,
      last4: fields.last4,
      payment_reference: null,
      routing_number: fields.routingNumber,
    },
  } satisfies Stripe.Charge.PaymentMethodDetails;
}

/** Issuing country by presentment currency, for the card a generated charge was paid with. */
const CARD_COUNTRY: Record<string, string> = { usd: 'US', eur: 'DE', jpy: 'JP', kwd: 'KW' };

/**
 * The card a generated charge was paid with, derived from the charge id alone so that adding
 * card details draws nothing from any random stream (each seed's account stays as it was):
 * about half Visa, 30% Mastercard, 15% American Express, 5% Discover.
 */
export function cardForCharge(chargeId: string, amountAuthorized: number, currency: string) {
  let hash = 0;
  for (let i = 0; i < chargeId.length; i++) hash = (Math.imul(hash, 31) + chargeId.charCodeAt(i)) >>> 0;
  const share = hash % 100;
  const brand: CardBrand = share < 50 ? 'visa' : share < 80 ? 'mastercard' : share < 95 ? 'amex' : 'discover';
  return cardPaymentDetails({
    brand,
    last4: String(hash % 10_000).padStart(4, '0'),
    expMonth: 1 + (hash % 12),
    expYear: 2027 + (hash % 5),
    country: CARD_COUNTRY[currency] ?? 'US',
    funding: hash % 3 === 0 ? 'debit' : 'credit',
    amountAuthorized,
  });
}

/** Stripe's test bank (routing number 110000000, https://docs.stripe.com/testing#ach-direct-debit). */
const TEST_BANK = { bankName: 'STRIPE TEST BANK', routingNumber: '110000000' };

/** The bank account a generated ACH debit was drawn on, derived from the charge id (no random draws). */
export function usBankAccountForCharge(chargeId: string) {
  let hash = 0;
  for (let i = 0; i < chargeId.length; i++) hash = (Math.imul(hash, 31) + chargeId.charCodeAt(i)) >>> 0;
  return usBankAccountPaymentDetails({ ...TEST_BANK, last4: String(hash % 10_000).padStart(4, '0'), holder: hash % 4 === 0 ? 'company' : 'individual' });
}
