/**
 * Size caps for the two actor files a user picks, checked on `File.size` BEFORE either file is read:
 * a wrong pick (a video, a disk image) must cost a message, not the tab's memory. Pure and tfjs-free,
 * so the page can call it first thing when files are picked.
 *
 * The weights cap is the largest file a valid actor has: the parameters of the biggest network the
 * playground builds (hidden size at its maximum), 4 bytes each. The model.json cap is generous (a real
 * one is about 3 KB; a topology does not grow with the hidden size).
 */
import { HYPERPARAMETERS } from '../rl/sac/config';

/** Pendulum's observation [cos θ, sin θ, θ̇] and its one torque. */
const OBSERVATION_SIZE = 3;
const ACTION_SIZE = 1;

/** float32 parameters of an actor with two hidden layers of `hiddenSize` and the [μ | log σ] heads. */
function actorParameters(hiddenSize: number): number {
  const H = hiddenSize;
  return OBSERVATION_SIZE * H + H + H * H + H + 2 * (H * ACTION_SIZE + ACTION_SIZE);
}

export const MAX_ACTOR_WEIGHTS_BYTES = 4 * actorParameters(HYPERPARAMETERS.hiddenSize.max);
export const MAX_ACTOR_MODEL_JSON_BYTES = 1024 * 1024;

/** What a File offers before it is read. */
export interface PickedFile {
  name: string;
  size: number;
}

/** Exact bytes up to 10 MiB (a file just over the cap must not read "1.0 MiB; at most 1.0 MiB"), MiB above. */
function formatBytes(bytes: number): string {
  if (bytes < 10 * 1024 * 1024) return `${bytes.toLocaleString('en-US')} bytes`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Why these picked files are too big to be an actor (naming each file, its size and the cap), or null.
 * Files are told apart as readActorFiles does: `.json` is the model, anything else the weights.
 */
export function actorFileSizeProblem(files: readonly PickedFile[]): string | null {
  const problems: string[] = [];
  for (const file of files) {
    const isModel = file.name.toLowerCase().endsWith('.json');
    const cap = isModel ? MAX_ACTOR_MODEL_JSON_BYTES : MAX_ACTOR_WEIGHTS_BYTES;
    if (file.size > cap) {
      const what = isModel ? 'an actor model .json is at most' : `an actor weights file is at most`;
      const why = isModel ? '' : ` (hidden size ${HYPERPARAMETERS.hiddenSize.max}, the largest)`;
      problems.push(`${file.name} is ${formatBytes(file.size)}; ${what} ${formatBytes(cap)}${why}`);
    }
  }
  return problems.length === 0 ? null : `Not an actor of this playground, so not read: ${problems.join('; ')}.`;
}
