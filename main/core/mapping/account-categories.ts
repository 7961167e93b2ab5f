/**
 * Which kind of Sage GL account each mapping setting needs, so a mapping that sends Stripe
 * fees to a revenue account (or sales tax to an asset) is refused with a plain reason before
 * any journal is written.
 *
 * Sage 500 gives every account a category through tglAccount → tglNaturalAcct → tglAcctType
 * → tglAcctCategory.AcctCatID (source S5: spglCalcBeginBalance carries categories 1–3 forward
 * as balance-sheet accounts, closes 4–8 to retained earnings as income-statement accounts and
 * treats 9 as non-financial; spglSetAPIValidateAccount refuses AcctTypeID 901, non-financial).
 * The name of each single category follows that order (asset, liability, equity; revenue, cost
 * of sales, expense, other income, other expense) and is UNVERIFIED; the mapping editor shows each
 * account's category beside it, so a site whose categories differ sees it (docs/window.md).
 */

export const accountCategoryNames: Readonly<Record<number, string>> = {
  1: 'Asset',
  2: 'Liability',
  3: 'Equity',
  4: 'Revenue',
  5: 'Cost of sales',
  6: 'Expense',
  7: 'Other income',
  8: 'Other expense',
  9: 'Non-financial',
};

/** "Revenue", or "category 12" for a category this list does not name. */
export function accountCategoryName(categoryId: number): string {
  return accountCategoryNames[categoryId] ?? `category ${categoryId}`;
}

interface AccountRole {
  /** AcctCatID values the setting accepts. */
  categories: readonly number[];
  /** Why, in the bookkeeper's words: completes "… so choose …". */
  because: string;
}

const ASSET = [1];
const LIABILITY = [2];
const REVENUE = [4, 7];
const COSTS = [5, 6, 8];
const INCOME_STATEMENT = [4, 5, 6, 7, 8];
const FINANCIAL = [1, 2, 3, 4, 5, 6, 7, 8];

/** Keyed by the setting under `accounts` (fee types share `fees`); product revenue uses `revenue`. */
const roles: Readonly<Record<string, AccountRole>> = {
  clearing: { categories: ASSET, because: 'Stripe clearing holds money Stripe owes the company' },
  bank: { categories: ASSET, because: 'payouts arrive in a bank account, which the company owns' },
  payoutsInTransit: { categories: ASSET, because: 'a payout on its way to the bank is still the company’s money' },
  reserve: { categories: ASSET, because: 'money Stripe holds back is still the company’s' },
  receivable: { categories: ASSET, because: 'an unpaid invoice is money a customer owes the company' },
  revenue: { categories: REVENUE, because: 'sales are income' },
  refunds: { categories: INCOME_STATEMENT, because: 'a refund takes back a sale' },
  salesTax: { categories: LIABILITY, because: 'sales tax collected is owed to the tax authority' },
  customerCredits: { categories: LIABILITY, because: 'a customer’s credit is owed back to the customer' },
  fees: { categories: COSTS, because: 'Stripe fees are a cost of selling' },
  disputeFees: { categories: COSTS, because: 'dispute fees are a cost of selling' },
  badDebt: { categories: COSTS, because: 'an invoice that will not be paid is a loss' },
  disputes: { categories: INCOME_STATEMENT, because: 'a lost chargeback takes back a sale' },
  suspense: { categories: [1, 2], because: 'suspense holds amounts until someone classifies them' },
  adjustments: { categories: FINANCIAL, because: 'Stripe adjustments are money' },
};

/** The role of a mapping path: "accounts.fees.stripe_fee" → fees, "productRevenue.prod_1" → revenue. */
function roleOf(path: string): AccountRole | null {
  const [group, key] = path.split('.');
  if (group === 'productRevenue') return roles.revenue ?? null;
  if (group !== 'accounts' || !key) return null;
  return roles[key] ?? null;
}

function listWords(categories: readonly number[]): string {
  const names = categories.map(accountCategoryName);
  return names.length === 1 ? `an ${names[0]} account`.replace(/^an ([^AEIOU])/, 'a $1') : `an account of type ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

export interface ChartAccountType {
  description: string;
  /** tglAcctCategory.AcctCatID; null when the account has no type chain (the check cannot tell). */
  categoryId: number | null;
}

/**
 * Why `acctNo` cannot be used for the setting at `path`, or null when its category fits (or
 * the setting has no expected kind, or the chart does not say the account's category).
 */
export function accountTypeProblem(path: string, acctNo: string, account: ChartAccountType): string | null {
  if (account.categoryId === null) return null;
  const role = roleOf(path);
  if (!role) return account.categoryId === 9 ? `${acctNo} ${account.description} is a non-financial account: Sage posts no money to it` : null;
  if (role.categories.includes(account.categoryId)) return null;
  return `${acctNo} ${account.description} is ${listWords([account.categoryId])}, and ${role.because}: choose ${listWords(role.categories)}`;
}
