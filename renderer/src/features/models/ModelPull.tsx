import { useKeel } from '../../store/KeelStoreProvider';
import { PullProgressBar } from './PullProgressBar';

/**
 * The one-click fix for a missing model: a "Pull <model>" button that turns into the download's
 * progress (the same download wherever it is shown: the status banner, a failed turn, Settings).
 */
export function ModelPull({ model }: { model: string }) {
  const started = useKeel((state) => state.pulls[model] !== undefined);
  const pullModel = useKeel((state) => state.pullModel);
  if (started) {
    return (
      <div className="model-pull">
        <PullProgressBar model={model} />
      </div>
    );
  }
  return (
    <div className="model-pull">
      <button
        type="button"
        className="button button-small button-primary"
        onClick={() => void pullModel(model)}
      >
        Pull {model}
      </button>
    </div>
  );
}
