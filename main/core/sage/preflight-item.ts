/**
 * One check of a Sage site (`s5sync check`, Settings → Test Sage): what was checked, whether it
 * passed, and what to do when it did not. The window's contract shows the same type.
 */
export interface PreflightItem {
  id: string;
  label: string;
  passed: boolean;
  detail: string;
  /** What to do when it failed (or, for a warning, what to look at); null when it passed. */
  fix: string | null;
  /** Passed, but something the partner should know (unverified values, triggers). */
  warning?: boolean;
}
