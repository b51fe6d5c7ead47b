import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelInfo, Space } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';
import { SpaceSelect } from '../common/SpaceSelect';
import { displayModelName } from '../models/modelFormat';
import { ModelSelect } from './ModelSelect';
import { modelRoles } from './modelRoles';
import { SettingsSection } from '../common/SettingsSectionHead';

/** A space's own models, for a client or a journal that wants a different model than the rest. */
export function SpaceModelsSection() {
  const runtimeSelectId = useId();
  const spaces = useKeel(useShallow((state) => state.spaces));
  const currentSpaceId = useKeel((state) => state.currentSpaceId);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const models = useKeel((state) => state.models);
  const settings = useKeel((state) => state.settings);
  const status = useKeel((state) => state.modelStatus);
  const sameAsGlobal = (setting: 'chatModel' | 'embeddingModel') => {
    const global = settings?.[setting] || status?.[setting];
    return `Same as global${global ? ` (${displayModelName(global)})` : ''}`;
  };
  const setSpaceModels = useKeel((state) => state.setSpaceModels);
  const listModelsOf = useKeel((state) => state.listModelsOf);
  const space =
    spaces.find((candidate) => candidate.id === (chosenId ?? currentSpaceId)) ?? spaces[0] ?? undefined;
  // A space with a runtime of its own picks among that runtime's models, not the global runtime's.
  const spaceRuntime = space?.runtime;
  const [runtimeModels, setRuntimeModels] = useState<{
    runtime: string;
    models: ModelInfo[];
    error: KeelErrorInfo | null;
  } | null>(null);
  // Listed again whenever the global list is (a download finished, Retry), so a new model shows here too.
  useEffect(() => {
    if (!spaceRuntime) return;
    let current = true;
    void listModelsOf(spaceRuntime).then((result) => {
      if (!current) return;
      setRuntimeModels(
        result.ok
          ? { runtime: spaceRuntime, models: result.value, error: null }
          : { runtime: spaceRuntime, models: [], error: result.error },
      );
    });
    return () => {
      current = false;
    };
  }, [spaceRuntime, listModelsOf, models]);
  const listed = runtimeModels?.runtime === spaceRuntime ? runtimeModels : null;
  const spaceModels = !spaceRuntime ? models : (listed?.models ?? null);

  return (
    <SettingsSection id="settings-space-title" title="Per space">
      {!space ? (
        <p className="settings-intro">
          Once you have a space, you can give it models of its own here: for instance a bigger model for one
          client.
        </p>
      ) : (
        <>
          <p className="settings-intro">
            A space can have a runtime of its own (for instance the one built into Keel while the rest use
            Ollama) and models of its own; otherwise it uses the global choices above. Its pickers list the
            models of the runtime it uses.
          </p>
          <div className="settings-fields">
            <SpaceSelect label="Space" spaces={spaces} value={space.id} onChange={setChosenId} />
            <div className="field">
              <label htmlFor={runtimeSelectId}>{`Runtime for ${space.name}`}</label>
              <select
                id={runtimeSelectId}
                value={space.runtime ?? ''}
                onChange={(event) =>
                  void setSpaceModels(space.id, {
                    runtime: (event.target.value || null) as Space['runtime'] | null,
                  })
                }
              >
                <option value="">Same as global</option>
                <option value="automatic">Automatic</option>
                <option value="ollama">Ollama</option>
                <option value="builtin">Built into Keel</option>
              </select>
            </div>
            {modelRoles.map(({ use, setting, label }) => (
              <ModelSelect
                key={`${use}-${space.id}`}
                label={`${label} for ${space.name}`}
                use={use}
                models={spaceModels}
                value={space[setting] ?? ''}
                emptyOption={sameAsGlobal(setting)}
                onSave={(model) => setSpaceModels(space.id, { [setting]: model || null })}
              />
            ))}
          </div>
          {spaceRuntime && listed?.error ? <FormError error={listed.error} /> : null}
        </>
      )}
    </SettingsSection>
  );
}
