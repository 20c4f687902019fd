/**
 * Conjugate gradient for A·x = b with A symmetric positive definite, given only products A·v
 * (TRPO solves (F + damping·I)x = g with Fisher-vector products; ALGORITHMS.md, TRPO). Starts at
 * x = 0; stops after `maxSteps` iterations or once the squared residual falls below `residualTolerance`
 * (sb3-contrib's 1e−10).
 */

export function conjugateGradient(
  matrixVectorProduct: (vector: Float64Array) => Float64Array,
  b: Float64Array,
  maxSteps: number,
  residualTolerance = 1e-10,
): Float64Array {
  const n = b.length;
  const x = new Float64Array(n);
  const residual = b.slice(); // r = b − A·0
  const direction = b.slice();
  let residualSquared = dot(residual, residual);
  for (let step = 0; step < maxSteps && residualSquared >= residualTolerance; step++) {
    const product = matrixVectorProduct(direction);
    const curvature = dot(direction, product);
    if (!(curvature > 0)) break; // not positive definite along this direction (or NaN): keep x so far
    const alpha = residualSquared / curvature;
    for (let i = 0; i < n; i++) {
      x[i] = (x[i] as number) + alpha * (direction[i] as number);
      residual[i] = (residual[i] as number) - alpha * (product[i] as number);
    }
    const nextResidualSquared = dot(residual, residual);
    const beta = nextResidualSquared / residualSquared;
    for (let i = 0; i < n; i++) direction[i] = (residual[i] as number) + beta * (direction[i] as number);
    residualSquared = nextResidualSquared;
  }
  return x;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
