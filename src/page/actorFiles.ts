/** Actor files between the user's disk and the page: reading the two picked files, starting downloads. */
import type { AlgorithmId } from '../rl/algorithm';
import type { ActorFiles } from '../rl/sac/weights';
import { actorFileNames } from '../worker/protocol';
import { actorFileSizeProblem } from './actorFileLimits';

/** Reads the two files of a tfjs LayersModel (model JSON + weights .bin) picked in one file input. */
export async function readActorFiles(files: readonly File[]): Promise<ActorFiles> {
  const json = files.filter((file) => file.name.toLowerCase().endsWith('.json'));
  const bins = files.filter((file) => !file.name.toLowerCase().endsWith('.json'));
  if (json.length !== 1 || bins.length !== 1) {
    throw new Error(
      `Pick both files of the actor at once: one .json (the model) and one .bin (its weights); got ${files.length === 0 ? 'no files' : files.map((file) => file.name).join(', ')}.`,
    );
  }
  // Sizes first: a wrong pick (a video) costs a message, not the tab's memory.
  const sizeProblem = actorFileSizeProblem(files);
  if (sizeProblem !== null) throw new Error(sizeProblem);
  const [modelFile] = json;
  const [weightsFile] = bins;
  if (!modelFile || !weightsFile) throw new Error('Pick the model .json and its .weights.bin file.');
  return { modelJson: await modelFile.text(), weightsBin: await weightsFile.arrayBuffer(), weightsFileName: weightsFile.name };
}

/**
 * The model file's name beside its weights: "x.weights.bin" → "x.json" (the manifest points at the
 * weights by that name); otherwise <algo>-pendulum-<run>.json.
 */
export function modelFileNameFor(files: ActorFiles, runName: string, algorithm: AlgorithmId = 'sac'): string {
  return files.weightsFileName.endsWith('.weights.bin') ? files.weightsFileName.replace(/\.weights\.bin$/, '.json') : actorFileNames(runName, algorithm).json;
}

/** Starts a browser download of a blob. */
export function saveFileInBrowser(fileName: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
