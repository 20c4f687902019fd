/** The "Backend" selector: applies to the next run started (a running run keeps its worker's backend). */
import { selectedBackend, usePlayground, playgroundStore } from '../store/index';
import { BACKEND_CHOICES, parseBackendChoice, type BackendChoice } from '../worker/protocol';

const DESCRIPTIONS: Record<BackendChoice, string> = {
  auto: 'auto (fastest, measured)',
  kernels: 'kernels: WebAssembly, hand-written (SAC)',
  webgl: 'webgl (forced)',
  wasm: 'wasm',
  cpu: 'cpu',
};

export function BackendSelect() {
  const choice = usePlayground((state) => state.backendChoice);
  const runBackend = usePlayground(selectedBackend);
  const runExists = runBackend !== null;
  const pending = runExists && runBackend !== null && runBackend.requested !== choice;
  return (
    <div className="field">
      <label htmlFor="backend-select">Backend</label>
      <select
        id="backend-select"
        title="auto: a run's first start in this browser trains for a moment on each backend worth trying (WebGL on a GPU, SAC's hand-written WebAssembly kernels, tfjs's wasm) at the run's algorithm, hidden and batch size, and keeps the fastest; the result is remembered for that shape. kernels: SAC's hand-written WebAssembly kernels (DDPG and TD3 train on wasm). Applies to runs started from now on."
        value={choice}
        onChange={(event) => {
          const value = parseBackendChoice(event.target.value);
          if (value) playgroundStore.getState().setBackendChoice(value);
        }}
      >
        {BACKEND_CHOICES.map((value) => (
          <option key={value} value={value}>
            {DESCRIPTIONS[value]}
          </option>
        ))}
      </select>
      <span className={`badge ${pending ? 'badge-pending' : 'badge-restart'}`}>{pending ? 'applies to new runs' : 'new runs'}</span>
    </div>
  );
}
