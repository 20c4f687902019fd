/**
 * TensorBoard's scalar smoothing: an exponential moving average with debiasing, so the first points are
 * not pulled towards zero. weight 0 = raw values; 0.99 = very smooth. Incremental: feed one value at a time.
 */
export class Smoother {
  private last = 0;
  private count = 0;

  constructor(private readonly weight: number) {}

  next(value: number): number {
    if (!Number.isFinite(value)) return value;
    if (this.weight <= 0) return value;
    this.last = this.last * this.weight + (1 - this.weight) * value;
    this.count += 1;
    const debias = 1 - this.weight ** this.count;
    return this.last / debias;
  }
}

export function smooth(values: readonly number[], weight: number): number[] {
  const smoother = new Smoother(weight);
  return values.map((value) => smoother.next(value));
}
