import type { MetadataSource, RuleAction, RuleCondition } from './rule-schema.js';

const SOURCE_WORDS: Record<MetadataSource, string> = {
  object: 'object',
  charge: 'charge',
  payment_intent: 'PaymentIntent',
  customer: 'customer',
  invoice: 'invoice',
  product: "a line's product",
};

/** A condition in words, as `s5sync rules test` and the rules editor show it. */
export function describeCondition(condition: RuleCondition): string {
  const list = (values: readonly string[]) => values.join(' or ');
  switch (condition.field) {
    case 'objectKind':
      return `the object is a ${list(condition.in.map((kind) => kind.replace('_', ' ')))}`;
    case 'balanceTransactionType':
      return `the balance transaction type is ${list(condition.in)}`;
    case 'reportingCategory':
      return `the reporting category is ${list(condition.in)}`;
    case 'metadata':
      return `${SOURCE_WORDS[condition.on]} metadata "${condition.key}" ${condition.op === 'exists' ? 'is set' : `${condition.op} "${condition.value ?? ''}"`}`;
    case 'product':
      return `a line is for product ${list(condition.in)}`;
    case 'price':
      return `a line is for price ${list(condition.in)}`;
    case 'paymentMethodType':
      return `the payment method is ${list(condition.in)}`;
    case 'cardBrand':
      return `the card brand is ${list(condition.in)}`;
    case 'presentmentCurrency':
      return `the customer paid in ${list(condition.in.map((currency) => currency.toUpperCase()))}`;
    case 'customerCountry':
      return `the customer's country is ${list(condition.in.map((country) => country.toUpperCase()))}`;
    case 'amount':
      return `the amount is ${[condition.atLeast && `at least ${condition.atLeast}`, condition.below && `below ${condition.below}`].filter(Boolean).join(' and ')}`;
    case 'description':
      return `the description ${condition.op === 'contains' ? 'contains' : 'matches'} "${condition.value}"`;
    case 'livemode':
      return condition.equals ? 'it is live mode' : 'it is test mode';
  }
}

/** An action in words. */
export function describeAction(action: RuleAction): string {
  switch (action.action) {
    case 'account':
      return `${action.role}${action.feeType ? ` (${action.feeType})` : ''} → ${action.account}`;
    case 'segment':
      return `segment ${action.segment} of ${action.roles.join(', ')} from ${SOURCE_WORDS[action.from.on]} metadata "${action.from.key}" (default ${action.default})`;
    case 'customer':
      return [action.custClassId && `customer class ${action.custClassId}`, action.idPrefix && `CustID prefix ${action.idPrefix}`].filter(Boolean).join(', ');
    case 'salesOrder':
      return [action.itemId && `order item ${action.itemId}`, action.warehouseId && `warehouse ${action.warehouseId}`].filter(Boolean).join(', ');
    case 'skip':
      return `skip${action.account ? ` (net parked in ${action.account})` : ''}`;
    case 'comment':
      return `comment "${action.text}"`;
  }
}
