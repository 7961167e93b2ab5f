import type { SyncConfig } from '../adapters/config/config-file.js';
import type { RehearsalSamples } from '../adapters/sage/rehearsal.js';
import type { BusinessDate } from '../core/time/business-date.js';

/**
 * The sample documents a rehearsal writes (and rolls back): built from the site's mapping so
 * they touch the site's own journal, accounts, customer class, item and warehouse. Amounts
 * are tiny and every text says it is a rehearsal, should anyone see it in flight.
 */
export function rehearsalSamples(config: SyncConfig, today: BusinessDate): RehearsalSamples {
  const { mapping } = config;
  const custId = `${mapping.customers.idPrefix}REHRSL`;
  const comment = 'Stripe Sync rehearsal (rolled back)';
  return {
    journal: {
      type: 'journal',
      key: 'rehearsal:journal',
      postDate: today,
      stripeObjectId: 'rehearsal',
      description: comment,
      lines: [
        { acctNo: mapping.accounts.bank, amount: '1.000', comment, traceId: 'rehearsal' },
        { acctNo: mapping.accounts.clearing, amount: '-1.000', comment, traceId: 'rehearsal' },
      ],
    },
    customer: mapping.customers.createMissing
      ? {
          type: 'customer',
          action: 'insert',
          key: 'rehearsal:customer',
          stripeObjectId: 'rehearsal',
          custId,
          custName: 'Stripe Sync rehearsal',
          custClassId: mapping.customers.custClassId,
          addrLines: ['1 Rehearsal Street'],
          city: 'Springfield',
          // A country and state as Stripe sends them (ISO alpha-2, state code), so the rehearsal
          // resolves them against the site's tsmCountry / tsmStateProvince like a real customer.
          stateId: 'IL',
          postalCode: '62701',
          countryId: 'US',
          contactName: 'Rehearsal Contact',
          email: 'rehearsal@example.com',
          phone: null,
        }
      : null,
    salesOrder:
      mapping.salesOrders.enabled && mapping.customers.createMissing
        ? {
            type: 'sales_order',
            key: 'rehearsal:sales-order',
            stripeObjectId: 'rehearsal',
            custId,
            tranDate: today,
            comment,
            lines: [{ itemId: mapping.salesOrders.defaultItemId, description: 'Rehearsal line', quantity: '1.00000000', unitPrice: '1.00000', extAmount: '1.000' }],
          }
        : null,
  };
}
