import { useEffect, useRef, useState } from 'react';
import type { LogLevelName, LogLineView } from '../../../preload/contract.js';
import { countOf } from '../../../preload/count-words.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { formatDateTime } from '../format.js';
import { useRequest } from '../use-request.js';

const SHOWN_LINES = 300;

const showLevels: { level: LogLevelName; words: string }[] = [
  { level: 'error', words: 'Errors only' },
  { level: 'warn', words: 'Warnings and errors' },
  { level: 'info', words: 'Information and above' },
  { level: 'debug', words: 'Everything (debug)' },
];

const levelWords: Record<LogLevelName, string> = { error: 'Error', warn: 'Warning', info: 'Info', debug: 'Debug' };
const sourceWords: Record<string, string> = { main: 'Window', engine: 'Sync engine' };

function LogLine({ line }: { line: LogLineView }) {
  return (
    <li className={`log-line log-${line.level}`}>
      <span className="log-head">
        <span className="log-level">{levelWords[line.level]}</span>
        <span className="muted small">{line.time ? formatDateTime(line.time) : '—'} · {sourceWords[line.source] ?? line.source}</span>
      </span>
      <span>{line.message}</span>
      {line.details ? <span className="mono small log-details">{line.details}</span> : null}
    </li>
  );
}

/**
 * The app's logs in the window, for a person: the newest lines of the window and sync engine,
 * filtered by level, copied as plain text for support; and the level the app writes at.
 * The lines arrive redacted (main/app/recent-log.ts): no key or password ever reaches here.
 */
export function LogView({ onBack }: { onBack: () => void }) {
  const [level, setLevel] = useState<LogLevelName>('info');
  const [notice, setNotice] = useState('');
  const [generation, setGeneration] = useState(0);
  const log = useRequest(() => call('readLog', { level, limit: SHOWN_LINES }), [level, generation]);
  const settings = useRequest(() => call('getSettings', undefined), []);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const copy = (): void => {
    if (!log.value) return;
    navigator.clipboard.writeText(log.value.text).then(
      () => setNotice(`${countOf(log.value?.lines.length ?? 0, 'line')} copied: paste them into your message to support.`),
      (failure: unknown) => setNotice(`Could not copy: ${String(failure)}`),
    );
  };
  const saveLevel = (next: LogLevelName): void => {
    call('saveSettings', { logLevel: next }).then(
      () => {
        settings.reload();
        setNotice(`The app now writes ${showLevels.find((entry) => entry.level === next)?.words.toLowerCase() ?? next} to its log.`);
      },
      (failure: unknown) => setNotice(String(failure)),
    );
  };
  const lines = log.value?.lines ?? [];
  return (
    <div className="stack">
      <button type="button" className="link back" onClick={onBack}>← Back to Home</button>
      <h1 ref={heading} tabIndex={-1}>Logs</h1>
      <ErrorMessage text={log.error ?? settings.error} />
      <div className="filters">
        <label>
          Show
          <select value={level} onChange={(event) => setLevel(event.target.value as LogLevelName)}>
            {showLevels.map((entry) => <option key={entry.level} value={entry.level}>{entry.words}</option>)}
          </select>
        </label>
        <label>
          Log level (what the app writes)
          <select value={settings.value?.logLevel ?? 'info'} disabled={!settings.value} onChange={(event) => saveLevel(event.target.value as LogLevelName)}>
            {showLevels.map((entry) => <option key={entry.level} value={entry.level}>{entry.words}</option>)}
          </select>
        </label>
      </div>
      <div className="row">
        <button type="button" onClick={copy} disabled={lines.length === 0}>Copy for support</button>
        <button type="button" onClick={() => setGeneration((count) => count + 1)}>Refresh</button>
        <button type="button" onClick={() => call('openLogsFolder', undefined).then(({ opened }) => setNotice(opened ? '' : 'The logs folder can only be opened from the installed app.'), (failure: unknown) => setNotice(String(failure)))}>Open logs folder</button>
      </div>
      <p className="notice muted" aria-live="polite">
        {notice || (!log.value ? 'Loading…' : !log.value.available ? 'This window has no log files to show.' : lines.length === 0 ? 'No lines at this level.' : `Newest first: ${countOf(lines.length, 'line')}${lines.length === SHOWN_LINES ? ' (the most recent)' : ''}.`)}
      </p>
      <ol className="list log-lines" aria-label="Log lines">
        {lines.map((line, index) => <LogLine key={`${line.time ?? ''}-${index}`} line={line} />)}
      </ol>
    </div>
  );
}
