/**
 * What network an actor file describes (hidden layer sizes and activations, read from its model.json
 * topology) against what a run's actor is, so a file for another network is refused with both named,
 * instead of loading into a network that computes something else (weights of the right shapes under a
 * tanh topology, say). No tfjs here: the page can check a picked file before it reaches the worker.
 */
import { HYPERPARAMETERS } from './config';

/** The actor's hidden layers' activation (networks.ts) and the heads' (raw μ and log σ). */
export const ACTOR_HIDDEN_ACTIVATION = 'relu';
export const ACTOR_HEAD_ACTIVATION = 'linear';
/** Hidden layers of every actor the playground builds. */
export const ACTOR_HIDDEN_LAYERS = 2;

export interface ActorArchitecture {
  /** Units of each hidden Dense layer, input side first. */
  hiddenSizes: number[];
  /** Activation of each hidden layer (an Activation layer right after a Dense one counts as its activation). */
  hiddenActivations: string[];
  /** Activation of each output (head) Dense layer. */
  headActivations: string[];
  /** Layer classes other than InputLayer, Dense and Activation (the playground's actor has none). */
  otherLayers: string[];
}

/** A file whose network is not this run's actor. Structured, so the UI can offer a run that fits it. */
export class ActorArchitectureError extends Error {
  override readonly name = 'ActorArchitectureError';
  /** The file's hidden size when all its hidden layers have one, else null. */
  readonly fileHiddenSize: number | null;
  readonly fileHiddenSizes: number[];
  /** The file's hidden activation when all its hidden layers share one, else null. */
  readonly fileActivation: string | null;
  readonly expectedHiddenSize: number;
  readonly expectedActivation: string;
  /** The hidden size of a new run that could load this file, or null when no run can (other activation or depth). */
  readonly fittingHiddenSize: number | null;

  constructor(file: ActorArchitecture, expectedHiddenSize: number) {
    const fileHiddenSize = commonValue(file.hiddenSizes);
    const fileActivation = commonValue(file.hiddenActivations);
    const fits =
      file.otherLayers.length === 0 &&
      file.hiddenSizes.length === ACTOR_HIDDEN_LAYERS &&
      fileActivation === ACTOR_HIDDEN_ACTIVATION &&
      file.headActivations.every((activation) => activation === ACTOR_HEAD_ACTIVATION) &&
      fileHiddenSize !== null &&
      Number.isInteger(fileHiddenSize) &&
      fileHiddenSize >= HYPERPARAMETERS.hiddenSize.min &&
      fileHiddenSize <= HYPERPARAMETERS.hiddenSize.max;
    const fittingHiddenSize = fits ? fileHiddenSize : null;
    const expectedLayers = Array.from({ length: ACTOR_HIDDEN_LAYERS }, () => `${expectedHiddenSize} ${ACTOR_HIDDEN_ACTIVATION}`).join(', ');
    const advice =
      fittingHiddenSize !== null
        ? `Start a run with hidden size ${fittingHiddenSize} to load it.`
        : `The playground's actors have ${ACTOR_HIDDEN_LAYERS} ${ACTOR_HIDDEN_ACTIVATION} hidden layers of ${HYPERPARAMETERS.hiddenSize.min}–${HYPERPARAMETERS.hiddenSize.max} units and linear heads, so no run can load this file.`;
    super(`This actor file is another network: it has ${describeArchitecture(file)}; this run's actor has hidden layers ${expectedLayers} and linear heads. ${advice}`);
    this.fileHiddenSize = fileHiddenSize;
    this.fileHiddenSizes = [...file.hiddenSizes];
    this.fileActivation = fileActivation;
    this.expectedHiddenSize = expectedHiddenSize;
    this.expectedActivation = ACTOR_HIDDEN_ACTIVATION;
    this.fittingHiddenSize = fittingHiddenSize;
  }
}

function commonValue<T>(values: readonly T[]): T | null {
  const [first] = values;
  return first !== undefined && values.every((value) => value === first) ? first : null;
}

function describeArchitecture(file: ActorArchitecture): string {
  const hidden = file.hiddenSizes.length === 0 ? 'no hidden layers' : `hidden layers ${file.hiddenSizes.map((size, i) => `${size} ${file.hiddenActivations[i] ?? '?'}`).join(', ')}`;
  const heads = file.headActivations.every((activation) => activation === ACTOR_HEAD_ACTIVATION) ? 'linear heads' : `heads ${file.headActivations.join(', ')}`;
  const other = file.otherLayers.length > 0 ? ` and ${file.otherLayers.join(', ')} layers` : '';
  return `${hidden}, ${heads}${other}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the architecture from a LayersModel topology (tfjs `modelTopology`, or Keras' with a
 * `model_config` wrapper). Null when it is not a functional model with a layer list: the weight checks
 * in weights.ts then say what is wrong.
 */
export function readActorArchitecture(modelTopology: unknown): ActorArchitecture | null {
  const model = isRecord(modelTopology) && isRecord(modelTopology.model_config) ? modelTopology.model_config : modelTopology;
  if (!isRecord(model) || !isRecord(model.config) || !Array.isArray(model.config.layers)) return null;
  const outputNames = new Set(
    Array.isArray(model.config.output_layers) ? model.config.output_layers.map((entry) => (Array.isArray(entry) ? String(entry[0]) : '')) : [],
  );
  const dense: Array<{ name: string; units: number; activation: string; output: boolean }> = [];
  const otherLayers: string[] = [];
  for (const layer of model.config.layers) {
    if (!isRecord(layer)) return null;
    const className = String(layer.class_name);
    const config = isRecord(layer.config) ? layer.config : {};
    const name = String(layer.name ?? config.name ?? '');
    if (className === 'InputLayer') continue;
    if (className === 'Dense') {
      // tfjs and Keras omit nothing here, but a missing activation means Keras' default: linear.
      dense.push({ name, units: Number(config.units), activation: String(config.activation ?? 'linear'), output: outputNames.has(name) });
    } else if (className === 'Activation') {
      const previous = dense[dense.length - 1];
      const activation = String(config.activation ?? 'linear');
      if (previous) previous.activation = previous.activation === 'linear' ? activation : `${previous.activation}+${activation}`;
      // An Activation layer after a head makes the head's output that activation's.
      if (previous && outputNames.has(name)) previous.output = true;
    } else {
      otherLayers.push(className);
    }
  }
  const hidden = dense.filter((layer) => !layer.output);
  const heads = dense.filter((layer) => layer.output);
  return {
    hiddenSizes: hidden.map((layer) => layer.units),
    hiddenActivations: hidden.map((layer) => layer.activation),
    headActivations: heads.map((layer) => layer.activation),
    otherLayers,
  };
}

/** The error for a file whose network is not an actor of `expectedHiddenSize`, or null when it is one. */
export function actorArchitectureMismatch(file: ActorArchitecture, expectedHiddenSize: number): ActorArchitectureError | null {
  const sameNetwork =
    file.otherLayers.length === 0 &&
    file.hiddenSizes.length === ACTOR_HIDDEN_LAYERS &&
    file.hiddenSizes.every((size) => size === expectedHiddenSize) &&
    file.hiddenActivations.every((activation) => activation === ACTOR_HIDDEN_ACTIVATION) &&
    file.headActivations.every((activation) => activation === ACTOR_HEAD_ACTIVATION);
  return sameNetwork ? null : new ActorArchitectureError(file, expectedHiddenSize);
}

/**
 * For the page, before sending a picked model.json to the worker: the mismatch with a run of
 * `expectedHiddenSize`, or null (also when the text is not a readable topology: the worker's full
 * validation names that problem).
 */
export function checkActorModelJson(modelJsonText: string, expectedHiddenSize: number): ActorArchitectureError | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(modelJsonText);
  } catch {
    return null;
  }
  const architecture = isRecord(parsed) ? readActorArchitecture(parsed.modelTopology) : null;
  return architecture === null ? null : actorArchitectureMismatch(architecture, expectedHiddenSize);
}
