import { useState } from 'react';
import type { MappingProblem } from '../../../preload/contract.js';
import { AccountField } from './account-field.js';
import type { DraftChange, MappingDraft } from './mapping-draft.js';

const STRIPE_PRODUCT = /^prod_[A-Za-z0-9]+$/;

/**
 * Per Stripe product: the revenue account its invoice lines go to, and the Sage item its
 * sales-order lines use. Products without a rule use the default revenue account and item.
 */
export function ProductRules({ draft, problems, change }: { draft: MappingDraft; problems: MappingProblem[]; change: DraftChange }) {
  const [newProduct, setNewProduct] = useState('');
  const [addProblem, setAddProblem] = useState<string | null>(null);
  const products = [...new Set([...Object.keys(draft.productRevenue), ...Object.keys(draft.productItems)])].sort();
  const setRevenue = (product: string, acctNo: string): void => change((current) => ({ ...current, productRevenue: { ...current.productRevenue, [product]: acctNo } }));
  const setItem = (product: string, itemId: string): void =>
    change((current) => {
      const productItems = { ...current.productItems };
      if (itemId.trim()) productItems[product] = itemId;
      else delete productItems[product];
      return { ...current, productItems };
    });
  const remove = (product: string): void =>
    change((current) => {
      const { [product]: _revenue, ...productRevenue } = current.productRevenue;
      const { [product]: _item, ...productItems } = current.productItems;
      return { ...current, productRevenue, productItems };
    });
  const add = (): void => {
    const product = newProduct.trim();
    if (!STRIPE_PRODUCT.test(product)) {
      setAddProblem('A Stripe product ID starts with prod_ (copy it from the product in the Stripe Dashboard).');
      return;
    }
    if (products.includes(product)) {
      setAddProblem(`${product} already has a rule.`);
      return;
    }
    setAddProblem(null);
    setNewProduct('');
    setRevenue(product, typeof draft.accounts.revenue === 'string' ? draft.accounts.revenue : '');
  };
  return (
    <fieldset>
      <legend>Products</legend>
      {products.length === 0 ? <p className="muted small">No product rules: every product uses the sales revenue account and the default item.</p> : null}
      <ul className="list product-rules" aria-label="Product rules">
        {products.map((product) => (
          <li key={product} className="card">
            <span className="row nowrap product-head">
              <span className="mono">{product}</span>
              <button type="button" className="link" aria-label={`Remove the rule for ${product}`} onClick={() => remove(product)}>Remove</button>
            </span>
            <AccountField path={`productRevenue.${product}`} label={`Revenue account for ${product}`} value={draft.productRevenue[product] ?? ''} problems={problems} onChange={(acctNo) => setRevenue(product, acctNo)} />
            <div className="field">
              <label htmlFor={`field-productItems.${product}`}>Sage item for {product}</label>
              <input id={`field-productItems.${product}`} value={draft.productItems[product] ?? ''} placeholder="default item" onChange={(event) => setItem(product, event.target.value)} />
            </div>
          </li>
        ))}
      </ul>
      <div className="row">
        <label className="grow">
          Stripe product ID
          <input value={newProduct} placeholder="prod_…" onChange={(event) => setNewProduct(event.target.value)} aria-describedby={addProblem ? 'product-add-problem' : undefined} />
        </label>
        <button type="button" onClick={add}>Add product rule</button>
      </div>
      {addProblem ? <p id="product-add-problem" role="alert" className="error-text small">{addProblem}</p> : null}
    </fieldset>
  );
}
