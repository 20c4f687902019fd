/**
 * The "Algorithm" selector for new runs: SAC, DDPG, TD3, PPO or TRPO. The editor below then shows that
 * algorithm's settings (its earlier edits kept). Selecting a run shows the run's own algorithm here.
 */
import { ALGORITHM_IDS, type AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS } from '../rl/algorithmSettings';
import { usePlayground } from '../store/index';
import { useCommands } from './commandsContext';

const TITLE =
  'The algorithm of the next run (Start / Add run). SAC uses the lecture’s settings; DDPG, TD3, PPO and TRPO the RL Baselines3 Zoo’s tuned Pendulum settings on the same 64-64 network.';

export function AlgorithmSelect() {
  const commands = useCommands();
  const algorithm = usePlayground((state) => state.algorithm);
  return (
    <label className="algorithm-field" title={TITLE}>
      <span>Algorithm</span>
      <select
        value={algorithm}
        onChange={(event) => {
          const value = ALGORITHM_IDS.find((candidate: AlgorithmId) => candidate === event.target.value);
          if (value) commands.chooseAlgorithm(value);
        }}
      >
        {ALGORITHM_IDS.map((id) => (
          <option key={id} value={id}>
            {ALGORITHM_SETTINGS[id].label}
          </option>
        ))}
      </select>
    </label>
  );
}
