/**
 * What the desktop window shows when its bridge to the engine (the preload) did not load: without
 * it nothing can be read or saved, and the workspace would otherwise fail on every call with
 * errors about an HTTP server that is not there.
 */
export function BridgeMissing({ reason }: { reason: string }) {
  return (
    <main className="panel" aria-labelledby="bridge-missing-title">
      <h1 id="bridge-missing-title">Keel&rsquo;s desktop bridge did not load</h1>
      <div role="alert" className="form-error">
        The window opened, but the part that connects it to Keel&rsquo;s engine is missing or broken, so
        nothing can be opened or saved. Your data folder has not been touched.
      </div>
      <p>Quit Keel and start it again. If this keeps happening, reinstall Keel.</p>
      <p className="muted">Details for a bug report: {reason}</p>
    </main>
  );
}
