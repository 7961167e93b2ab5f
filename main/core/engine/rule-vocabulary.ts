import type { Mapping } from '../mapping/mapping.js';
import type { Ledger } from '../ports/ledger.js';
import { METADATA_SOURCES, type MetadataSource } from '../rules/rule-schema.js';
import { RECENT_OBJECTS } from './rule-matches.js';
import { storedRuleFacts } from './rule-subject.js';

/**
 * What the rules editor offers in its pickers from recent Stripe data: the metadata keys seen
 * (with a few values each), products, prices, payment method types, card brands, currencies,
 * countries and balance-transaction types of the most recent stored objects.
 */

export interface RuleVocabulary {
  metadata: { on: MetadataSource; key: string; values: string[] }[];
  products: string[];
  prices: string[];
  paymentMethodTypes: string[];
  cardBrands: string[];
  currencies: string[];
  countries: string[];
  balanceTransactionTypes: string[];
  reportingCategories: string[];
}

const VALUES_PER_KEY = 10;

export function recentRuleVocabulary(ledger: Ledger, mapping: Mapping): RuleVocabulary {
  const metadata = new Map<string, { on: MetadataSource; key: string; values: Set<string> }>();
  const sets = {
    products: new Set<string>(),
    prices: new Set<string>(),
    paymentMethodTypes: new Set<string>(),
    cardBrands: new Set<string>(),
    currencies: new Set<string>(),
    countries: new Set<string>(),
    balanceTransactionTypes: new Set<string>(),
    reportingCategories: new Set<string>(),
  };
  const add = (set: Set<string>, value: string | null) => {
    if (value !== null) set.add(value);
  };
  for (const stored of ledger.objects.searchObjects({ limit: RECENT_OBJECTS, offset: 0 }).objects) {
    const facts = storedRuleFacts(ledger, mapping, stored.id);
    if (!facts) continue;
    for (const on of METADATA_SOURCES) {
      const sources = on === 'product' ? Object.values(facts.productMetadata) : [facts.metadata[on]];
      for (const [key, value] of sources.flatMap((source) => Object.entries(source ?? {}))) {
        const entry = metadata.get(`${on}.${key}`) ?? { on, key, values: new Set<string>() };
        if (entry.values.size < VALUES_PER_KEY) entry.values.add(value);
        metadata.set(`${on}.${key}`, entry);
      }
    }
    facts.products.forEach((product) => sets.products.add(product));
    facts.prices.forEach((price) => sets.prices.add(price));
    add(sets.paymentMethodTypes, facts.paymentMethodType);
    add(sets.cardBrands, facts.cardBrand);
    add(sets.currencies, facts.presentmentCurrency);
    add(sets.countries, facts.customerCountry);
    add(sets.balanceTransactionTypes, facts.balanceTransaction?.type ?? null);
    add(sets.reportingCategories, facts.balanceTransaction?.reportingCategory ?? null);
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    metadata: [...metadata.values()].map((entry) => ({ on: entry.on, key: entry.key, values: sorted(entry.values) })).sort((a, b) => `${a.on}.${a.key}`.localeCompare(`${b.on}.${b.key}`)),
    products: sorted(sets.products),
    prices: sorted(sets.prices),
    paymentMethodTypes: sorted(sets.paymentMethodTypes),
    cardBrands: sorted(sets.cardBrands),
    currencies: sorted(sets.currencies),
    countries: sorted(sets.countries),
    balanceTransactionTypes: sorted(sets.balanceTransactionTypes),
    reportingCategories: sorted(sets.reportingCategories),
  };
}
