import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { limits } from '../../../../shared/contract';
import type { DraftVersion, Loop } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { useDisclosure } from '../common/useDisclosure';
import { formatTime } from '../common/formatTime';
import { modifierKeyLabel } from '../common/modifierKeyLabel';
import { isMac } from '../palette/moveShortcuts';
import { TurnMarkdown } from '../loop/TurnMarkdown';
import { useSearchFocus } from '../search/useSearchFocus';
import { draftVersionLabel } from './draftVersionLabel';

/** Where the draft stands, in words, and a way to save again when saving failed. */
function SaveStatus({ loopId, versionKept }: { loopId: string; versionKept: boolean }) {
  const edit = useKeel((state) => state.drafts[loopId]);
  const saveDraft = useKeel((state) => state.saveDraft);
  const dirty = edit !== undefined && edit.text !== edit.savedText;

  let text = 'Saved';
  let tone = 'saved';
  if (edit?.saving) {
    text = 'Saving…';
    tone = 'saving';
  } else if (edit?.error) {
    text = `Not saved: ${edit.error.message}`;
    tone = 'error';
  } else if (dirty) {
    text = 'Unsaved changes';
    tone = 'saving';
  } else if (versionKept) {
    text = 'Saved as a version';
  }

  return (
    <div className={`draft-status draft-status-${tone}`}>
      <p role="status">{text}</p>
      {edit?.error && !edit.saving ? (
        <button type="button" className="button button-small" onClick={() => void saveDraft(loopId)}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** One kept version: when, where it came from, its text on demand, and a way back to it. */
function VersionItem({ loopId, version }: { loopId: string; version: DraftVersion }) {
  const text = useDisclosure();
  const [confirming, setConfirming] = useState(false);
  const restoreDraftVersion = useKeel((state) => state.restoreDraftVersion);
  const label = draftVersionLabel(version);

  return (
    <li className="draft-version">
      <div className="draft-version-row">
        <time className="draft-version-time" dateTime={version.createdAt}>
          {formatTime(version.createdAt)}
        </time>
        <span className="draft-version-source">{label}</span>
        {version.source === 'saved' && version.note ? (
          <span className="draft-version-note">{version.note}</span>
        ) : null}
        <span className="draft-version-actions">
          <button type="button" className="button button-small button-quiet" {...text.buttonProps}>
            {text.open ? 'Hide text' : 'Show text'}
          </button>
          <button type="button" className="button button-small" onClick={() => setConfirming(true)}>
            Restore
          </button>
        </span>
      </div>
      <div id={text.id} className="draft-version-text" hidden={!text.open}>
        {text.open ? (
          version.text.trim() ? (
            <TurnMarkdown text={version.text} />
          ) : (
            <p className="muted">(empty)</p>
          )
        ) : null}
      </div>
      {confirming ? (
        <ConfirmDialog
          title="Restore this version?"
          confirmLabel="Restore"
          onConfirm={() => restoreDraftVersion(loopId, version.id)}
          onClose={() => setConfirming(false)}
        >
          <p>
            The draft becomes this version ({label.toLowerCase()}, {formatTime(version.createdAt)}). The draft
            as it is now is kept as a version first, so you can come back to it.
          </p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

/**
 * The loop's draft: the work product, written by the person in Markdown. It saves itself after a
 * pause, on blur and when the person leaves the loop; Save version (Ctrl/Cmd+S) keeps a version to
 * come back to.
 */
export function DraftPanel({
  loop,
  hide,
  hideButtonRef,
}: {
  loop: Loop;
  /** Folds the draft's column away (beside the timeline only); `controls` is that column's id. */
  hide?: { onHide: () => void; controls: string };
  /** The "Hide draft" button, for the loop to give the focus back to. */
  hideButtonRef?: RefObject<HTMLButtonElement | null>;
}) {
  const loopId = loop.id;
  const textId = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const [preview, setPreview] = useState(false);
  const versionList = useDisclosure();
  const [versionKept, setVersionKept] = useState(false);
  const edit = useKeel((state) => state.drafts[loopId]);
  const syncDraft = useKeel((state) => state.syncDraft);
  const setDraftText = useKeel((state) => state.setDraftText);
  const saveDraft = useKeel((state) => state.saveDraft);
  const flushDraft = useKeel((state) => state.flushDraft);
  const focusRequest = useKeel((state) => state.draftFocusRequest);
  const platform = useKeel((state) => state.appInfo?.platform);
  const modifierKey = modifierKeyLabel(platform);

  const text = edit?.text ?? loop.draft;
  const versions = edit?.versions ?? loop.draftVersions;

  // The engine's draft (an opened loop, a reload) comes in unless typed text is waiting to be saved.
  useEffect(() => {
    syncDraft(loopId, loop.draft, loop.draftVersions);
  }, [syncDraft, loopId, loop.draft, loop.draftVersions]);

  // Leaving the loop (or closing the window) saves what was typed.
  useEffect(() => {
    const flush = () => void flushDraft(loopId);
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
      flush();
    };
  }, [flushDraft, loopId]);

  // "Focus the draft" (command palette): back to editing (adjusted while rendering, so the text
  // area is there by the time the effect focuses it).
  const [seenFocusRequest, setSeenFocusRequest] = useState(focusRequest);
  if (focusRequest !== seenFocusRequest) {
    setSeenFocusRequest(focusRequest);
    setPreview(false);
  }
  const mountFocusRequest = useRef(focusRequest);
  useEffect(() => {
    if (focusRequest !== mountFocusRequest.current) textareaRef.current?.focus();
  }, [focusRequest]);

  // Opened from a search result that found the draft: the text (or, in preview, the panel) takes focus.
  useSearchFocus('draft', loopId, preview ? panelRef : textareaRef);

  const saveVersion = async () => {
    if (await saveDraft(loopId, { keepVersion: true })) setVersionKept(true);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    if (event.key.toLowerCase() !== 's') return;
    event.preventDefault();
    void saveVersion();
  };

  return (
    <section ref={panelRef} role="region" aria-label="Draft" className="draft-panel" onKeyDown={onKeyDown}>
      <div className="draft-head">
        <h2 className="draft-title">
          <label htmlFor={textId}>Draft</label>
        </h2>
        <SaveStatus loopId={loopId} versionKept={versionKept} />
        <div className="draft-tools">
          <button
            type="button"
            className="button button-small button-quiet"
            aria-pressed={preview}
            title={preview ? 'Back to editing the Markdown' : 'See the draft as it will read'}
            onClick={() => setPreview((value) => !value)}
          >
            Preview
          </button>
          <button
            type="button"
            className="button button-small"
            title={`Keep the draft as it is now as a version to come back to (${modifierKey}+S)`}
            aria-keyshortcuts="Control+S Meta+S"
            onClick={() => void saveVersion()}
          >
            Save version
          </button>
          {hide ? (
            <button
              ref={hideButtonRef}
              type="button"
              className="button button-small button-quiet draft-hide"
              aria-expanded="true"
              aria-controls={hide.controls}
              aria-keyshortcuts="Alt+D"
              title={`Fold the draft away and give the timeline the width (${isMac(platform) ? '⌥D' : 'Alt+D'})`}
              onClick={hide.onHide}
            >
              Hide draft
            </button>
          ) : null}
        </div>
      </div>

      {preview ? (
        <div className="draft-preview" aria-label="Draft preview" role="document">
          {text.trim() ? <TurnMarkdown text={text} /> : <p className="muted">Nothing written yet.</p>}
        </div>
      ) : null}
      <textarea
        id={textId}
        ref={textareaRef}
        className="draft-text"
        hidden={preview}
        value={text}
        maxLength={limits.draft}
        spellCheck
        placeholder="Write the work product here, in Markdown. Ask the AI to refine it, then take the changes you want."
        onChange={(event) => {
          setVersionKept(false);
          setDraftText(loopId, event.target.value);
        }}
        onBlur={() => void flushDraft(loopId)}
      />

      <div className="draft-versions">
        <div className="draft-versions-head">
          <button
            type="button"
            className="button button-small button-quiet draft-versions-toggle"
            {...versionList.buttonProps}
          >
            <span className="disclosure-mark" aria-hidden="true" />
            Versions
          </button>
          <span className="draft-versions-count">
            {versions.length === 0
              ? 'none kept yet'
              : versions.length === 1
                ? '1 kept'
                : `${versions.length} kept`}
          </span>
        </div>
        <div id={versionList.id} hidden={!versionList.open}>
          {versionList.open ? (
            versions.length === 0 ? (
              <p className="draft-versions-empty">
                No versions yet. Save version keeps one; taking a refine or restoring keeps one too.
              </p>
            ) : (
              <ol className="draft-version-list" aria-label="Draft versions">
                {versions
                  .slice()
                  .reverse()
                  .map((version) => (
                    <VersionItem key={version.id} loopId={loopId} version={version} />
                  ))}
              </ol>
            )
          ) : null}
        </div>
      </div>
    </section>
  );
}
