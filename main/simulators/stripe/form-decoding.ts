/**
 * Decodes Stripe's form encoding (query strings and POST bodies): `limit=10`,
 * `created[gte]=1700000000`, `expand[]=data.source` or `expand[0]=data.source`,
 * `metadata[sage_id]=C001`. Stripe's API never nests deeper than one level for the
 * parameters the simulator speaks, so deeper keys are rejected.
 */
export type FormValue = string | string[] | Record<string, string>;
export type FormParams = Record<string, FormValue>;

export class FormDecodingError extends Error {
  constructor(readonly param: string) {
    super(`Invalid parameter: ${param}`);
    this.name = 'FormDecodingError';
  }
}

const KEY_PATTERN = /^([^[\]]+)(?:\[([^[\]]*)\])?$/;

export function decodeForm(encoded: string): FormParams {
  const params: FormParams = {};
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    const match = KEY_PATTERN.exec(rawKey);
    if (!match) throw new FormDecodingError(rawKey);
    const name = match[1] as string;
    const member = match[2];
    const existing = params[name];
    if (member === undefined) {
      if (existing !== undefined) throw new FormDecodingError(name);
      params[name] = value;
    } else if (member === '' || /^\d+$/.test(member)) {
      if (existing === undefined) params[name] = [value];
      else if (Array.isArray(existing)) existing.push(value);
      else throw new FormDecodingError(name);
    } else {
      if (existing === undefined) params[name] = { [member]: value };
      else if (typeof existing === 'object' && !Array.isArray(existing)) existing[member] = value;
      else throw new FormDecodingError(name);
    }
  }
  return params;
}
