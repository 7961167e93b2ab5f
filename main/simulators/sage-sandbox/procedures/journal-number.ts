import { intArg, textArg, type EmulatedProcedure } from './procedure-types.js';
import { preparedStatement } from './prepared-statements.js';

const RET_OK = 1;
const RET_NO_JOURNAL = 2;

/**
 * The journal-number procedure S8 imports as GiveNextJrnlNo(CompanyID, JrnlKey, 1, out JrnlNo,
 * out RetVal) (sources S4, S8, docs/sage-sources.md). Its SQL name and parameter names are not public, so it is called
 * by position; `check` confirms the name on the site. Here it hands out tglJournal.NextJrnlNo.
 */
export const spglGiveNextJrnlNo: EmulatedProcedure = {
  parameters: ['iCompanyID', 'iJrnlKey', 'iNumbers', 'oJrnlNo', 'oRetVal'],
  binding: 'position',
  run: (db, inputs) => {
    const companyId = textArg(inputs, 0);
    const jrnlKey = intArg(inputs, 1);
    const numbers = Math.max(1, intArg(inputs, 2));
    return db.transaction(() => {
      const row = preparedStatement(db, 'SELECT NextJrnlNo FROM tglJournal WHERE CompanyID = ? AND JrnlKey = ?').get(companyId, jrnlKey) as { NextJrnlNo: number } | undefined;
      if (!row) return new Map([[3, null], [4, RET_NO_JOURNAL]]);
      preparedStatement(db, 'UPDATE tglJournal SET NextJrnlNo = NextJrnlNo + ? WHERE JrnlKey = ?').run(numbers, jrnlKey);
      return new Map([[3, row.NextJrnlNo], [4, RET_OK]]);
    }).immediate();
  },
};
