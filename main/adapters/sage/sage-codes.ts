/**
 * Sage 500 codes the writer stamps or checks (sources S1, S6, docs/sage-sources.md). Numbers the
 * reference marks UNVERIFIED are noted; confirm them against a journal entered by hand in
 * the site's Sage before release (source S8, docs/sage-sources.md).
 */
export const MODULE_GL = 3;
export const MODULE_AR = 5;
export const MODULE_SO = 8;
export const REQUIRED_MODULES = [MODULE_GL, MODULE_AR, MODULE_SO] as const;

export const BATCH_TYPE_GL_JOURNAL = 301;
export const SPGETNEXTBATCH_OK = 1;
export const BATCH_STATUS_BALANCED = 4;
export const POST_STATUS_OPEN = 0;

/** CreateType 2 = Import, for rows the sync inserts directly. */
export const CREATE_TYPE_IMPORT = 2;

/** UNVERIFIED enum numbers (no public source): tglBatch.GeneralJrnlType "Transaction", tglJournalHdr.Status "Balanced". */
export const GENERAL_JRNL_TYPE_TRANSACTION = 1;
export const JOURNAL_STATUS_BALANCED = 1;
export const OFFSET_POST_NONE = 0;

/** tglJournalLog.TranStatus of a new, pending journal: S8 writes 2 (the log tables' "pending", sources S6, S8, docs/sage-sources.md). */
export const JOURNAL_LOG_TRAN_STATUS_PENDING = 2;
/** The journal-number procedure S8 imports as GiveNextJrnlNo; this SQL name is UNVERIFIED (sources S4, S8, docs/sage-sources.md): `check` looks for it. */
export const GIVE_NEXT_JOURNAL_NO_PROCEDURE = 'spglGiveNextJrnlNo';

/** Journal lines are numbered 1..n with SeqNo = 16384 × EntryNo, as Sage's screen does (S8). */
export const SEQ_NO_STEP = 16_384;

export const ACCOUNT_ACTIVE = 1;
export const POSTING_TYPE_FINANCIAL = 1;
export const POSTING_TYPE_BOTH = 3;
export const CURR_RESTRICTION_SPECIFIC = 1;
export const FISCAL_PERIOD_OPEN = 1;

export const TRAN_TYPE_SALES_ORDER = 801;
/** Document numbers are the counter left-padded with zeros to 10 characters (S4, S8; TranNo varchar(10), S7). */
export const TRAN_NO_LENGTH = 10;
/** The SetupStepKey that makes spSOapiSalesOrdIns create Open orders (S2 @SOInsertion_OPEN). */
export const SETUP_STEP_SO_OPEN = 2_100_600;
/**
 * tsmMigrateStepParam.ParamType 2, the invalid-reference parameter: S1/S2 read the session's
 * step key only through this parameter's row, and its value as @BlankInvalidReference.
 */
export const STEP_PARAM_TYPE_INVALID_REFERENCE = 2;
/** @BlankInvalidReference 0: "leave invalid reference and Do Not Migrate record" (S1), so a bad ID is an error, never blanked. */
export const BLANK_INVALID_REFERENCE_NO = '0';

export const API_RET_SUCCESS = 1;
export const STAGING_PROCESSED = 1;
export const MIGRATION_LOG_FAILURE = 1;

/** tciStripeXref_STRIPE.SyncState: 1 created (pending in Sage), 2 posted, 3 voided. */
export const SYNC_STATE_CREATED = 1;
