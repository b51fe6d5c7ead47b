import { NameField } from '../common/DialogParts';
import { useId, useState } from 'react';
import { limits } from '../../../../shared/contract';
import type { SourceTarget } from '../../store/slices/sourcesSlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { Dialog } from '../common/Dialog';
import { FormError } from '../common/FormError';
import { TextAreaField } from '../common/TextAreaField';
import { useFormSubmit } from '../common/useFormSubmit';

/**
 * Adds text the person pastes (notes from a call, an email) as a source under a title of theirs;
 * it stays open with the reason if the engine refuses it. While the text goes in (after any files
 * before it) it cannot be closed, so the person sees how it went: the reason is said only here.
 */
export function PastedTextDialog({
  target,
  panel,
  where,
  onClose,
}: {
  target: SourceTarget;
  panel: string;
  /** Where it goes, as the dialog says it: "this loop" or the space's name. */
  where: string;
  onClose: () => void;
}) {
  const titleId = useId();
  const textId = useId();
  const formatId = useId();
  const addPastedSource = useKeel((state) => state.addPastedSource);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [markdown, setMarkdown] = useState(false);
  const { busy, error, submit } = useFormSubmit({
    check: () =>
      title.trim() === ''
        ? 'Give it a title, so you and the AI can tell it apart.'
        : text.trim() === ''
          ? 'Paste or write the text to add.'
          : null,
    save: () =>
      addPastedSource(target, panel, {
        title: title.trim(),
        text,
        format: markdown ? 'markdown' : 'text',
      }),
    onSaved: onClose,
  });

  const close = () => {
    if (!busy) onClose();
  };

  return (
    <Dialog title="Add pasted text" onClose={close} busy={busy} className="src-paste-dialog">
      <form className="dialog-form" noValidate onSubmit={submit}>
        <p className="dialog-context">It is added to {where} as a source, kept and read on this computer.</p>
        <NameField
          id={titleId}
          label="Title"
          value={title}
          onChange={setTitle}
          placeholder="Call notes with Dana, 3 March"
          readOnly={busy}
        />
        <TextAreaField
          id={textId}
          label="Text"
          rows={10}
          value={text}
          maxLength={limits.sourceText}
          readOnly={busy}
          onChange={setText}
        />
        <label className="src-check" htmlFor={formatId}>
          <input
            id={formatId}
            type="checkbox"
            checked={markdown}
            aria-disabled={busy}
            onChange={(event) => {
              if (!busy) setMarkdown(event.target.checked);
            }}
          />
          It is Markdown (its headings become sections)
        </label>
        <FormError error={error} />
        {busy ? (
          <p role="status" className="muted">
            Adding it… This stays open until it is in, or says why not.
          </p>
        ) : null}
        <div className="dialog-actions">
          {/* Not `disabled`, which would drop focus to the page if it had it. */}
          <button type="button" className="button" aria-disabled={busy} onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            Add text
          </button>
        </div>
      </form>
    </Dialog>
  );
}
