import type { JournalBatchInSage } from '../ports/sage-target.js';

/** tciBatchLog.Status and PostStatus codes (S6, /work/shared/reference/sage500.md "Batch status"). */
const STATUS_IN_USE = 1;
const STATUS_ON_HOLD = 2;
const STATUS_OUT_OF_BALANCE = 3;
const STATUS_POSTING = 5;
const STATUS_POSTED = 6;
const STATUS_INTERRUPTED = 7;
const POST_STATUS_OPEN = 0;
/** 100 pre-post started … 450 module clean-up completed: posting under way. */
const POST_STATUS_PRE_POST_STARTED = 100;
const POST_STATUS_COMPLETED = 500;
const POST_STATUS_DELETED = 999;

/** The batch is open: not posted, not being posted, not deleted (PostStatus 0). */
export function batchIsOpen(batch: JournalBatchInSage): boolean {
  return batch.postStatus === POST_STATUS_OPEN;
}

/** Sage deleted the batch (PostStatus 999). */
export function batchIsDeleted(batch: JournalBatchInSage): boolean {
  return batch.postStatus === POST_STATUS_DELETED;
}

/** Posting of the batch started, finished or was interrupted: its journals are, or are becoming, posted GL. */
export function batchPostingReached(batch: JournalBatchInSage): boolean {
  if (batchIsDeleted(batch)) return false;
  return batch.status === STATUS_POSTING || batch.status === STATUS_POSTED || batch.status === STATUS_INTERRUPTED || batch.postStatus >= POST_STATUS_PRE_POST_STARTED;
}

/** "tciBatchLog Status 6, PostStatus 500: posted": the codes and what S6 says they mean. */
export function describeBatchState(batch: JournalBatchInSage): string {
  return `tciBatchLog Status ${batch.status}, PostStatus ${batch.postStatus}: ${meaning(batch)}`;
}

function meaning(batch: JournalBatchInSage): string {
  if (batchIsDeleted(batch)) return 'deleted';
  if (batch.status === STATUS_POSTED || batch.postStatus === POST_STATUS_COMPLETED) return 'posted';
  if (batch.status === STATUS_INTERRUPTED) return 'its posting was interrupted';
  if (batchPostingReached(batch)) return 'being posted';
  if (!batchIsOpen(batch)) return 'a state the sync does not know';
  if (batch.status === STATUS_ON_HOLD) return 'open, on hold';
  if (batch.status === STATUS_OUT_OF_BALANCE) return 'open, out of balance';
  if (batch.status === STATUS_IN_USE) return 'open, in use';
  return 'open';
}
