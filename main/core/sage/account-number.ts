/** Sage stores GL account numbers without the mask ("4000-00" is stored as "400000"). */
export function unmaskAccountNo(acctNo: string): string {
  return acctNo.replace(/[^0-9A-Za-z]/g, '');
}

/**
 * One GL account however it is spelled: unmasked, as Sage stores it, and in upper case, because
 * SQL Server's default collation is case-insensitive, so the writer's look-up by GLAcctNo finds
 * "ABC100" for "abc-100" and writes that account. Two spellings with the same identity name one
 * Sage account.
 */
export function accountIdentity(acctNo: string): string {
  return unmaskAccountNo(acctNo).toUpperCase();
}
