import type { Mapping } from './mapping.js';

/**
 * The mapping a new install starts from. The account numbers match the chart the Sage
 * sandbox is seeded with (simulators/sage-sandbox/seed.ts reads DEFAULT_CHART), so the demo
 * runs without any setup; a real site changes them in the mapping editor.
 */

export interface ChartAccount {
  acctNo: string;
  description: string;
  /** Sage account category for the seed (tglAcctCategory.AcctCatID 1 asset, 2 liability, 4 revenue, 6 expense). */
  kind: 'asset' | 'liability' | 'revenue' | 'expense';
}

export const DEFAULT_CHART: readonly ChartAccount[] = [
  { acctNo: '1010-00', description: 'Operating bank account', kind: 'asset' },
  { acctNo: '1020-00', description: 'Stripe payouts in transit', kind: 'asset' },
  { acctNo: '1050-00', description: 'Stripe clearing', kind: 'asset' },
  { acctNo: '1060-00', description: 'Stripe reserve', kind: 'asset' },
  { acctNo: '1200-00', description: 'Stripe invoices receivable', kind: 'asset' },
  { acctNo: '1990-00', description: 'Stripe suspense (unclassified)', kind: 'asset' },
  { acctNo: '2200-00', description: 'Sales tax payable', kind: 'liability' },
  { acctNo: '2300-00', description: 'Customer credits', kind: 'liability' },
  { acctNo: '4000-00', description: 'Sales', kind: 'revenue' },
  { acctNo: '4010-00', description: 'Subscription revenue', kind: 'revenue' },
  { acctNo: '4900-00', description: 'Sales returns and refunds', kind: 'revenue' },
  { acctNo: '6150-00', description: 'Stripe processing fees', kind: 'expense' },
  { acctNo: '6155-00', description: 'Stripe fees: other', kind: 'expense' },
  { acctNo: '6160-00', description: 'Chargebacks', kind: 'expense' },
  { acctNo: '6165-00', description: 'Dispute fees', kind: 'expense' },
  { acctNo: '6170-00', description: 'Stripe adjustments', kind: 'expense' },
  { acctNo: '6190-00', description: 'Bad debt', kind: 'expense' },
];

export const DEFAULT_MAPPING: Mapping = {
  accounts: {
    clearing: '1050-00',
    bank: '1010-00',
    payoutsInTransit: '1020-00',
    revenue: '4000-00',
    refunds: '4900-00',
    salesTax: '2200-00',
    receivable: '1200-00',
    fees: { default: '6150-00', stripe_fee: '6150-00', application_fee: '6155-00', tax: '6155-00' },
    disputes: '6160-00',
    disputeFees: '6165-00',
    adjustments: '6170-00',
    reserve: '1060-00',
    suspense: '1990-00',
    openingBalanceOffset: '1990-00',
    customerCredits: '2300-00',
    badDebt: '6190-00',
  },
  productRevenue: {},
  productItems: {},
  customers: {
    idPrefix: 'S',
    custClassId: 'RETAIL',
    metadataKey: 'sage_cust_id',
    matchByEmail: true,
    createMissing: true,
    longText: 'fit',
  },
  salesOrders: { enabled: false, defaultItemId: 'STRIPE-SALE', warehouseId: 'MAIN' },
  arPayments: { enabled: false, metadataKey: 'sage_invoice', unmatched: 'gl', invoicesForStripeSales: false },
  timeZone: 'America/Chicago',
  granularity: 'per-transaction',
  journalId: 'GJ',
  homeCurrency: 'usd',
};
