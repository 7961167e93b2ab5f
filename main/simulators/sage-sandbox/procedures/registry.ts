import { spARapiCustomerIns } from './customer-api.js';
import { spglGiveNextJrnlNo } from './journal-number.js';
import { spGetNextBatch } from './next-batch.js';
import type { EmulatedProcedure } from './procedure-types.js';
import { spSOapiSalesOrdIns } from './sales-order-api.js';
import { spGetNextSurrogateKey } from './surrogate-key.js';

/** The Sage procedures the sandbox answers, by their Sage names. */
export const EMULATED_PROCEDURES: Readonly<Record<string, EmulatedProcedure>> = {
  spGetNextSurrogateKey,
  spGetNextBatch,
  spARapiCustomerIns,
  spSOapiSalesOrdIns,
  spglGiveNextJrnlNo,
};
