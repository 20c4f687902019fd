/**
 * Every hyperparameter of the algorithm the editor shows, grouped, generated from that algorithm's table
 * (rl/algorithmSettings.ts): SAC's lecture settings, or the zoo's for DDPG, TD3, PPO and TRPO.
 */
import { ALGORITHM_SETTINGS } from '../rl/algorithmSettings';
import { playgroundStore, selectedRun, usePlayground } from '../store/index';
import { useCommands } from './commandsContext';
import { parameterGroups } from './hyperparameterGroups';
import { HyperparameterSlider } from './HyperparameterSlider';

/** What the editor's edits reach: the selected run (same algorithm) or only new runs. */
function useEditorTarget(): string | null {
  return usePlayground((state) => {
    const run = selectedRun(state);
    if (!run || run.algorithm === state.algorithm) return null;
    return `The selected run "${run.name}" is ${ALGORITHM_SETTINGS[run.algorithm].label}: these ${ALGORITHM_SETTINGS[state.algorithm].label} settings are for new runs only. Select the run (or pick ${ALGORITHM_SETTINGS[run.algorithm].label} above) to change it live.`;
  });
}

export function HyperparameterPanel() {
  const client = useCommands();
  const algorithm = usePlayground((state) => state.algorithm);
  const lectureBugs = usePlayground((state) => state.algorithm === 'sac' && state.config.actionScale === 1 && state.config.targetEntropy === 0);
  const otherAlgorithmNote = useEditorTarget();
  const settings = ALGORITHM_SETTINGS[algorithm];
  const isSac = algorithm === 'sac';
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
            {isSac ? 'Reset to lecture defaults' : `Reset to ${settings.label} defaults`}
          </button>
          {isSac && (
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
          )}
        </div>
      </div>
      <p className="hint" data-testid="editor-algorithm">
        <strong>{settings.label}</strong> ({settings.family}) settings. The editor holds the settings of the next run (Start / Add run);{' '}
        <span className="badge badge-live">live</span> changes also reach the selected run at once and apply from its next update;{' '}
        <span className="badge badge-restart">restart</span> ones apply to new runs only. Duplicate on a run copies its settings here.{' '}
        {isSac
          ? 'Defaults are the lecture’s, with its two bugs fixed (full ±2 torque, target entropy −1).'
          : 'Defaults are the RL Baselines3 Zoo’s tuned Pendulum settings on the lecture’s 64-64 network; each names its source.'}
        {lectureBugs && <strong> The lecture&apos;s two bugs are on: expect a weaker policy.</strong>}
      </p>
      {otherAlgorithmNote && (
        <p className="hint" role="note">
          {otherAlgorithmNote}
        </p>
      )}
      {parameterGroups(algorithm).map((group) => (
        <fieldset key={`${algorithm}.${group.title}`} className="param-group">
          <legend>{group.title}</legend>
          <div className="param-grid">
            {group.keys.map((key) => (
              <HyperparameterSlider key={`${algorithm}.${key}`} algorithm={algorithm} name={key} />
            ))}
          </div>
        </fieldset>
      ))}
    </section>
  );
}
