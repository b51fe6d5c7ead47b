import { useEffect, useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { Loop } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import type { ExportFormat } from '../../store/slices/exportSlice';
import { downloadFile } from './downloadFile';
import { PrintDocument } from './PrintDocument';

/** A modal dialog on top (a confirmation, the palette) takes Esc for itself. */
function modalOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

const formatLabels: Record<ExportFormat, string> = {
  markdown: 'Markdown (.md)',
  docx: 'Word (.docx)',
};

/**
 * Export: the loop as a Markdown or Word file, or printed (and so saved as PDF). The draft is
 * saved first, so the file holds what the person sees.
 */
export function ExportMenu({ loop }: { loop: Loop }) {
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  const [includeTimeline, setIncludeTimeline] = useState(false);
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<KeelErrorInfo | string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [printing, setPrinting] = useState(false);
  const exportLoop = useKeel((state) => state.exportLoop);
  const draft = useKeel((state) => state.drafts[loop.id]?.text ?? loop.draft);

  // Clicking elsewhere or Esc closes the menu (Esc puts focus back on its button).
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && wrapperRef.current?.contains(event.target)) return;
      setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || modalOpen()) return;
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    };
    // Esc is caught before it bubbles, so closing the menu never also stops the AI.
    document.addEventListener('pointerdown', onPointerDown);
    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      window.removeEventListener('keydown', onKeyDown, true);
    };
  }, [open]);

  // The print document stays until the printing is over (Electron prints after print() returns).
  useEffect(() => {
    if (!printing) return;
    const onAfterPrint = () => setPrinting(false);
    window.addEventListener('afterprint', onAfterPrint);
    return () => window.removeEventListener('afterprint', onAfterPrint);
  }, [printing]);

  const exportAs = async (format: ExportFormat) => {
    if (busy) return;
    setBusy(format);
    setError(null);
    setDone(null);
    const result = await exportLoop(loop.id, format, includeTimeline);
    setBusy(null);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    try {
      downloadFile(result.value);
      setDone(`Downloaded ${result.value.fileName}`);
    } catch (failure) {
      setError(
        `The file could not be handed to the download: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
    }
  };

  const print = () => {
    setError(null);
    setDone(null);
    setOpen(false);
    // The print document must be in the page before the print dialog copies it.
    flushSync(() => setPrinting(true));
    try {
      window.print();
    } catch (failure) {
      setPrinting(false);
      setError(`Printing did not start: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  };

  return (
    <div className="export" ref={wrapperRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button button-quiet export-button"
        aria-expanded={open}
        aria-controls={menuId}
        title="Save the loop as a Markdown or Word file, or print it"
        onClick={() => setOpen((value) => !value)}
      >
        Export
      </button>
      <div id={menuId} className="export-menu" role="group" aria-label="Export the loop" hidden={!open}>
        <label className="check-row export-check">
          <input
            type="checkbox"
            checked={includeTimeline}
            onChange={(event) => setIncludeTimeline(event.target.checked)}
          />
          Include the timeline
        </label>
        <div className="export-actions">
          {(Object.keys(formatLabels) as ExportFormat[]).map((format) => (
            <button
              key={format}
              type="button"
              className="button button-small export-action"
              aria-disabled={busy !== null}
              onClick={() => void exportAs(format)}
            >
              {formatLabels[format]}
            </button>
          ))}
          <button type="button" className="button button-small export-action" onClick={print}>
            Print or save as PDF
          </button>
        </div>
        <p className="export-hint">
          {includeTimeline
            ? 'The intent, the decision, the draft and every turn of the timeline.'
            : 'The intent, the decision and the draft.'}
        </p>
        {error ? (
          <div role="alert" className="form-error">
            {typeof error === 'string' ? error : error.message}
          </div>
        ) : null}
        <p role="status" className="export-done">
          {busy ? `Preparing the ${busy === 'docx' ? 'Word' : 'Markdown'} file…` : (done ?? '')}
        </p>
      </div>
      {printing ? <PrintDocument loop={loop} draft={draft} includeTimeline={includeTimeline} /> : null}
    </div>
  );
}
