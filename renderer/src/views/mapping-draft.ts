/**
 * The mapping as the editor changes it. The renderer cannot import main/core's schema, so this
 * names only the settings the editor has controls for; main validates the whole document
 * (main/core/mapping/mapping.ts) on preview and save, and settings not named here pass through.
 */
export interface MappingDraft {
  accounts: Record<string, string | Record<string, string>>;
  productRevenue: Record<string, string>;
  productItems: Record<string, string>;
  customers: { idPrefix: string; custClassId: string; metadataKey: string; matchByEmail: boolean; createMissing: boolean; longText?: 'fit' | 'park' };
  salesOrders: { enabled: boolean; defaultItemId: string; warehouseId: string };
  timeZone: string;
  granularity: 'per-transaction' | 'daily-summary';
  journalId: string;
  homeCurrency: string;
  [setting: string]: unknown;
}

export type DraftChange = (change: (draft: MappingDraft) => MappingDraft) => void;
