/** Every hyperparameter of SAC-SPEC.md, grouped, generated from the table in rl/sac/config.ts. */
import { HYPERPARAMETER_KEYS, type SacConfigKey } from '../rl/sac/config';
import { playgroundStore, usePlayground } from '../store/index';
import { useCommands } from './commandsContext';
import { HyperparameterSlider } from './HyperparameterSlider';

const GROUPS: ReadonlyArray<{ title: string; keys: readonly SacConfigKey[] }> = [
  { title: 'Learning', keys: ['actorLr', 'criticLr', 'alphaLr', 'gamma', 'tau', 'batchSize'] },
  { title: 'Entropy and actions', keys: ['initialAlpha', 'targetEntropy', 'actionScale'] },
  { title: 'Network and memory', keys: ['hiddenSize', 'bufferSize', 'seed'] },
  { title: 'Stopping', keys: ['goalScore', 'stopAtGoal', 'maxEpisodes', 'maxSteps', 'logInterval'] },
];
const GROUPED = new Set(GROUPS.flatMap((group) => group.keys));
const OTHER_KEYS = HYPERPARAMETER_KEYS.filter((key) => !GROUPED.has(key));

export function HyperparameterPanel() {
  const client = useCommands();
  const lectureBugs = usePlayground((state) => state.config.actionScale === 1 && state.config.targetEntropy === 0);
  const groups = OTHER_KEYS.length > 0 ? [...GROUPS, { title: 'Other', keys: OTHER_KEYS }] : GROUPS;
  return (
    <section className="card hyperparameters" aria-labelledby="hyperparameters-title">
      <div className="card-head">
        <h2 id="hyperparameters-title">Hyperparameters</h2>
        <div className="button-row">
          <button
            type="button"
            onClick={() => {
              playgroundStore.getState().resetToDefaults();
              client.syncLiveConfig();
            }}
          >
            Reset to lecture defaults
          </button>
          <button
            type="button"
            onClick={() => {
              playgroundStore.getState().applyLectureAsWritten();
              client.syncLiveConfig();
            }}
            title="Action scale 1 (half the torque range) and target entropy 0: the lecture's code as written"
          >
            Lecture as written (2 bugs)
          </button>
        </div>
      </div>
      <p className="hint">
        The editor holds the settings of the next run (Start / Add run); <span className="badge badge-live">live</span> changes also reach the
        selected run at once and apply from its next update; <span className="badge badge-restart">restart</span> ones apply to new runs only.
        Duplicate on a run copies its settings here. Defaults are the lecture&apos;s, with its two
        bugs fixed (full ±2 torque, target entropy −1).
        {lectureBugs && <strong> The lecture&apos;s two bugs are on: expect a weaker policy.</strong>}
      </p>
      {groups.map((group) => (
        <fieldset key={group.title} className="param-group">
          <legend>{group.title}</legend>
          <div className="param-grid">
            {group.keys.map((key) => (
              <HyperparameterSlider key={key} name={key} />
            ))}
          </div>
        </fieldset>
      ))}
    </section>
  );
}
