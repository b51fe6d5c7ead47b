import { useKeel } from '../../store/KeelStoreProvider';
import { BuiltinModelOffer } from '../models/BuiltinModelOffer';

/** The first thing a new person sees: what a space is, and the one step to take. */
export function WelcomePanel() {
  const openDialog = useKeel((state) => state.openDialog);
  return (
    <section className="panel welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Welcome to Keel</h1>
      <p className="lead">Create your first space: a client, a plan, or a journal.</p>
      <p>
        A space keeps its own context, so what you tell Keel about one client never reaches another. Inside a
        space you work in loops: you frame the question, ask the AI to explore or challenge it, and make the
        call yourself. Everything stays on this machine.
      </p>
      <button
        type="button"
        className="button button-primary"
        onClick={() => openDialog({ kind: 'new-space' })}
      >
        Create your first space
      </button>
      <BuiltinModelOffer />
    </section>
  );
}
