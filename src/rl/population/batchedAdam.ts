/**
 * Adam (PyTorch's rule and defaults, as src/rl/sac/adam.ts) over parameters with a leading row axis,
 * where every row has its own learning rate and step count (a population member, or one of its twin
 * critics). Moments live flat per row, [R, P]: the gradients are reshaped to [R, n] and concatenated
 * along axis 1, so a step is the same ~15 + 3·(parameter count) kernels for any number of rows.
 *
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 *
 * A row whose learning rate is given as `null` (a stopped member) is frozen: β1 = β2 = 1 and a zero
 * step for that row, so its moments and step count stay exactly where they were.
 */
import * as tf from '@tensorflow/tfjs';

export class BatchedAdam {
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly epsilon = 1e-8;
  readonly rows: number;
  private readonly parameters: tf.Variable[];
  /** Per-row element counts of the parameters, in order: how the flat update is split back. */
  private readonly sizes: number[];
  private readonly firstMoment: tf.Variable; // [R, P]
  private readonly secondMoment: tf.Variable; // [R, P]
  /** Adam's t for each row. */
  private readonly stepCounts: number[];

  constructor(parameters: tf.Variable[]) {
    const rows = parameters[0]?.shape[0];
    if (rows === undefined || !parameters.every((p) => p.shape[0] === rows)) throw new Error('BatchedAdam: every parameter needs the same leading row axis');
    this.rows = rows;
    this.parameters = parameters;
    this.sizes = parameters.map((p) => p.size / rows);
    const total = this.sizes.reduce((sum, size) => sum + size, 0);
    this.firstMoment = tf.tidy(() => tf.variable(tf.zeros([rows, total]), false));
    this.secondMoment = tf.tidy(() => tf.variable(tf.zeros([rows, total]), false));
    this.stepCounts = new Array<number>(rows).fill(0);
  }

  /** Adam's step count t of each row. */
  get steps(): readonly number[] {
    return this.stepCounts;
  }

  /** Row r's moments as flat arrays (in parameter order: what src/rl/sac/adam.ts keeps for one network). Reads back. */
  rowMoments(row: number): { firstMoment: Float32Array; secondMoment: Float32Array } {
    const read = (moment: tf.Variable): Float32Array => {
      const slice = tf.slice(moment, [row, 0], [1, -1]);
      const values = Float32Array.from(slice.dataSync());
      slice.dispose();
      return values;
    };
    return { firstMoment: read(this.firstMoment), secondMoment: read(this.secondMoment) };
  }

  /**
   * One step with gradients in the parameters' order and shapes. `learningRates[r]`: row r's rate, or
   * null to leave row r untouched. Does not dispose the gradients.
   */
  step(gradients: tf.Tensor[], learningRates: ReadonlyArray<number | null>): void {
    if (gradients.length !== this.parameters.length) throw new Error(`BatchedAdam.step: ${gradients.length} gradients for ${this.parameters.length} parameters`);
    if (learningRates.length !== this.rows) throw new Error(`BatchedAdam.step: ${learningRates.length} learning rates for ${this.rows} rows`);
    const R = this.rows;
    // Per-row coefficients, computed here in double precision and uploaded once per step as [R, 1] columns.
    const beta1 = new Float32Array(R);
    const oneMinusBeta1 = new Float32Array(R);
    const beta2 = new Float32Array(R);
    const oneMinusBeta2 = new Float32Array(R);
    const inverseSqrtCorrection2 = new Float32Array(R);
    const stepSize = new Float32Array(R);
    for (let row = 0; row < R; row++) {
      const rate = learningRates[row];
      if (rate === null || rate === undefined) {
        beta1[row] = 1;
        beta2[row] = 1;
        inverseSqrtCorrection2[row] = 1;
        continue; // oneMinus… and stepSize stay 0: m, v and θ unchanged
      }
      const t = (this.stepCounts[row] ?? 0) + 1;
      this.stepCounts[row] = t;
      beta1[row] = this.beta1;
      oneMinusBeta1[row] = 1 - this.beta1;
      beta2[row] = this.beta2;
      oneMinusBeta2[row] = 1 - this.beta2;
      inverseSqrtCorrection2[row] = 1 / Math.sqrt(1 - this.beta2 ** t);
      stepSize[row] = rate / (1 - this.beta1 ** t);
    }
    const frozenRows = learningRates.some((rate) => rate === null);
    tf.tidy(() => {
      const column = (values: Float32Array): tf.Tensor2D => tf.tensor2d(values, [R, 1]);
      const gradient = gradients.length === 1 ? tf.reshape(gradients[0] as tf.Tensor, [R, -1]) : tf.concat(gradients.map((g) => tf.reshape(g, [R, -1])), 1);
      // With every row active the coefficients are plain numbers, exactly as adam.ts computes them.
      const m = frozenRows
        ? tf.add(tf.mul(this.firstMoment, column(beta1)), tf.mul(gradient, column(oneMinusBeta1)))
        : tf.add(tf.mul(this.firstMoment, this.beta1), tf.mul(gradient, 1 - this.beta1));
      const v = frozenRows
        ? tf.add(tf.mul(this.secondMoment, column(beta2)), tf.mul(tf.square(gradient), column(oneMinusBeta2)))
        : tf.add(tf.mul(this.secondMoment, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
      this.firstMoment.assign(m);
      this.secondMoment.assign(v);
      const denominator = tf.add(tf.mul(tf.sqrt(v), column(inverseSqrtCorrection2)), this.epsilon);
      const update = tf.mul(tf.div(m, denominator), column(stepSize));
      const pieces = this.parameters.length === 1 ? [update] : tf.split(update, this.sizes, 1);
      this.parameters.forEach((parameter, index) => {
        parameter.assign(tf.sub(parameter, tf.reshape(pieces[index] as tf.Tensor, parameter.shape)));
      });
    });
  }

  dispose(): void {
    this.firstMoment.dispose();
    this.secondMoment.dispose();
  }
}
