import type { CustomerDocument } from '../../main/core/sage/documents.js';

/** A customer with a name and nothing else, keyed `key` (its object is the key's first part): the ledger tests' plain customer document. */
export function plainCustomerDocument(key: string): CustomerDocument {
  return {
    type: 'customer',
    key,
    stripeObjectId: key.split(':')[0]!,
    custId: 'S0000000001',
    custName: 'Ada Lovelace',
    custClassId: 'RETAIL',
    addrLines: [],
    city: null,
    stateId: null,
    postalCode: null,
    countryId: null,
    contactName: null,
    email: null,
    phone: null,
  };
}
