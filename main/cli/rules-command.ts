import type { SyncConfig } from '../adapters/config/config-file.js';
import { LedgerFile } from '../app/ledger-file.js';
import { printDocument } from './preview-command.js';

/**
 * `s5sync rules test --object ID`: the config's rules evaluated on one object the ledger
 * holds, and the documents they would plan for it. Reads the ledger only; writes nothing.
 */
export function rulesTestCommand(config: SyncConfig, request: { objectId: string; json: boolean }, write: (line: string) => void): number {
  const file = LedgerFile.openExisting(config);
  if (!file) {
    write(`no ledger yet at ${LedgerFile.pathOf(config)}: run \`s5sync sync --once\` first`);
    return 1;
  }
  try {
    const report = file.operations.testRules(request.objectId);
    if (!report) {
      write(`${request.objectId} is not in the ledger; run \`s5sync sync --once\` to read it from Stripe`);
      return 1;
    }
    if (request.json) {
      write(JSON.stringify(report, null, 2));
      return 0;
    }
    const { facts } = report;
    write(`${report.objectId} (${facts.kind.replace('_', ' ')})`);
    const seen = [
      facts.balanceTransaction && `balance transaction ${facts.balanceTransaction.type} / ${facts.balanceTransaction.reportingCategory}`,
      facts.presentmentCurrency && `currency ${facts.presentmentCurrency.toUpperCase()}`,
      facts.paymentMethodType && `payment method ${facts.paymentMethodType}${facts.cardBrand ? ` (${facts.cardBrand})` : ''}`,
      facts.customerCountry && `customer country ${facts.customerCountry}`,
      facts.description && `description "${facts.description}"`,
      facts.livemode !== null && (facts.livemode ? 'live mode' : 'test mode'),
      ...Object.entries(facts.metadata).flatMap(([source, metadata]) => Object.entries(metadata ?? {}).map(([key, value]) => `${source} metadata ${key}="${value}"`)),
      ...facts.lines.map(
        (line, index) =>
          `line ${index + 1}${line.description ? ` "${line.description}"` : ''}: product ${line.product ?? 'none'}, price ${line.price ?? 'none'}${Object.entries(line.productMetadata ?? {})
            .map(([key, value]) => `, product metadata ${key}="${value}"`)
            .join('')}`,
      ),
    ].filter(Boolean);
    write(`  the rules see: ${seen.length ? seen.join('; ') : 'nothing beyond its kind'}`);
    if (report.rules.length === 0) write('no rules in the mapping');
    report.rules.forEach((rule, index) => {
      write(`${index + 1}. "${rule.name}": ${rule.fires ? `FIRES${rule.note ? ` ${rule.note}` : ''}` : (rule.note ?? 'does not match')}`);
      for (const condition of rule.conditions) write(`     ${condition.holds ? 'yes' : 'no '}  ${condition.text}`);
    });
    write(report.error ? `cannot be planned: ${report.error}` : 'documents with these rules (nothing is written):');
    if (!report.error && report.documents.length === 0) write('  no documents (nothing to book for this object in its current state)');
    for (const document of report.documents) printDocument(document, write);
    return 0;
  } finally {
    file.close();
  }
}
