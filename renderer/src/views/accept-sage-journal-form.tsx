import { useState } from 'react';
import { call } from '../bridge.js';
import { countOf } from '../../../preload/count-words.js';

/**
 * "Accept Sage's journal" for GL journals the sync refused because Sage's cross-reference already
 * holds their key as another journal (main/core/engine/accept-sage-journal.ts): once the user has
 * entered the difference in Sage, each is recorded as written under Sage's journal, with the
 * reason. The Errors view offers it per document, a record's detail for its refused journals.
 */
export function AcceptSageJournalForm({ docKeys, subject, onDone }: { docKeys: string[]; subject: string; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        call('acceptSageJournals', { docKeys, reason }).then(
          ({ accepted }) => onDone(`${countOf(accepted, 'document')} recorded as written under Sage's journal`),
          (failure: unknown) => onDone(String(failure)),
        );
      }}
    >
      <p className="small">
        Only once Sage holds what this document books: enter in Sage what Sage's journal lacks (the difference, as a journal entry of its own). The sync then records Sage's
        journal as this document, and its payouts can tie out.
      </p>
      <label>
        What you entered in Sage for {subject}
        <input value={reason} onChange={(event) => setReason(event.target.value)} minLength={3} maxLength={500} required placeholder="e.g. difference entered as journal 57" autoFocus />
      </label>
      <button type="submit">Accept Sage's journal</button>
    </form>
  );
}
