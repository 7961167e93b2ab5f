import { buildExecText } from './mssql-mapping.js';
import { MAX_PARAMETERS_PER_REQUEST, SqlExecutionError, type BatchStep, type SqlParam } from './sql-port.js';

/**
 * How a batch of statements travels to SQL Server: as few requests as possible, each one T-SQL
 * batch (one round trip) of the steps' own texts joined by ";\n", with every parameter renamed
 * to its step (`@s3_postAmt`) so steps cannot collide, and at most 2,100 parameters per request.
 * Pure, so the statement stream is tested without a server.
 */

export interface RenderedRequest {
  text: string;
  /** Parameter name (without @) → its typed value. */
  inputs: Map<string, SqlParam>;
  /** Output parameter name → its declared type and initial value. */
  outputs: Map<string, SqlParam>;
  /** Per step of this request (in order): the step's index in the batch and its outputs (argument name → request parameter). */
  steps: { index: number; outputs: { arg: string; parameter: string }[] }[];
}

interface RenderedStep {
  text: string;
  inputs: [string, SqlParam][];
  outputs: { arg: string; parameter: string; param: SqlParam }[];
}

const STEP_SEPARATOR = ';\n';

function renderStep(step: BatchStep, index: number): RenderedStep {
  const prefix = `s${index}_`;
  if (step.kind === 'execute') {
    const params = step.params ?? {};
    const names = new Set(Object.keys(params).map((name) => name.replace(/^@/, '')));
    const text = step.sql.replace(/@(\w+)/g, (match, name: string) => (names.has(name) ? `@${prefix}${name}` : match));
    return { text, inputs: Object.entries(params).map(([name, param]) => [`${prefix}${name.replace(/^@/, '')}`, param]), outputs: [] };
  }
  const text = buildExecText(step.name, step.args, step.binding).replace(/@p(\d+)\b/g, `@${prefix}p$1`);
  const inputs: [string, SqlParam][] = [];
  const outputs: RenderedStep['outputs'] = [];
  step.args.forEach((arg, position) => {
    const parameter = `${prefix}p${position + 1}`;
    if (arg.output) outputs.push({ arg: arg.name, parameter, param: arg.param });
    else inputs.push([parameter, arg.param]);
  });
  return { text, inputs, outputs };
}

/**
 * The requests for `steps`, in order. `prefix` starts each request (e.g. SET XACT_ABORT OFF
 * outside our transactions). A single step over the limit is refused: the caller sizes its
 * multi-row statements (statements.ts multiRowInsert) to fit.
 */
export function renderRequests(steps: readonly BatchStep[], prefix = ''): RenderedRequest[] {
  const requests: RenderedRequest[] = [];
  let current: RenderedRequest | null = null;
  let texts: string[] = [];
  const flush = (): void => {
    if (current) {
      current.text = prefix + texts.join(STEP_SEPARATOR);
      requests.push(current);
    }
    current = null;
    texts = [];
  };
  steps.forEach((step, index) => {
    const rendered = renderStep(step, index);
    const count = rendered.inputs.length + rendered.outputs.length;
    if (count > MAX_PARAMETERS_PER_REQUEST) {
      throw new SqlExecutionError(`one statement has ${count} parameters; SQL Server takes at most ${MAX_PARAMETERS_PER_REQUEST} per request`, 'other', rendered.text.slice(0, 200));
    }
    if (current && current.inputs.size + current.outputs.size + count > MAX_PARAMETERS_PER_REQUEST) flush();
    current ??= { text: '', inputs: new Map(), outputs: new Map(), steps: [] };
    for (const [name, param] of rendered.inputs) current.inputs.set(name, param);
    for (const output of rendered.outputs) current.outputs.set(output.parameter, output.param);
    current.steps.push({ index, outputs: rendered.outputs.map(({ arg, parameter }) => ({ arg, parameter })) });
    texts.push(rendered.text);
  });
  flush();
  return requests;
}
