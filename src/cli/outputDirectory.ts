/**
 * `--out DIR` of `npm run train`: made and proven writable BEFORE training, so a bad directory costs
 * the user a message (exit 2) instead of a finished run that cannot be saved.
 *
 * Why not `mkdir(dir, { recursive: true })`: in Node 20 a recursive mkdir under a pseudo file system
 * (e.g. `/proc/nope`) never settles, neither the promise nor the sync form, so the CLI hung after
 * training. Here each missing component is created with a plain, non-recursive mkdir, which fails at
 * once with ENOENT/EACCES/ENOTDIR.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export class OutputDirectoryError extends Error {}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'it cannot be created there',
    ENOTDIR: 'a part of the path is a file, not a directory',
    ENOSPC: 'no space left on the device',
    EEXIST: 'a file with that name exists',
  };
  const reason = code === undefined ? undefined : reasons[code];
  const message = error instanceof Error ? error.message : String(error);
  return reason === undefined ? message : `${reason} (${code})`;
}

/** Creates `dir` and its missing parents one level at a time (see the file comment). */
async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const info = await stat(current).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    });
    if (info !== null) {
      if (!info.isDirectory()) throw new OutputDirectoryError(`${current} is a file, not a directory`);
      break;
    }
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break; // reached the root and it does not exist: mkdir below reports it
    current = parent;
  }
  for (const path of missing) await mkdir(path);
}

/**
 * Makes sure files can be written to `dir`: creates it if needed and writes then removes a probe file.
 * Throws OutputDirectoryError naming the directory and the reason.
 */
export async function prepareOutputDirectory(dir: string): Promise<void> {
  const probe = join(dir, `.sac-write-check-${process.pid}`);
  try {
    await makeDirectories(dir);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    if (error instanceof OutputDirectoryError) throw new OutputDirectoryError(`--out ${dir}: ${error.message}`);
    throw new OutputDirectoryError(`--out ${dir} is not writable: ${describeFsError(error)}`);
  }
}

/** Writes one output file; a failure names the file and the reason (the caller exits non-zero). */
export async function writeOutputFile(dir: string, name: string, contents: string | Uint8Array): Promise<void> {
  const path = join(dir, name);
  try {
    await writeFile(path, contents);
  } catch (error) {
    throw new OutputDirectoryError(`writing ${path} failed: ${describeFsError(error)}`);
  }
}
