/** The "Backend" selector: applies to the next run started (a running run keeps its worker's backend). */
import { selectedBackend, usePlayground, playgroundStore } from '../store/index';
import { BACKEND_CHOICES, type BackendChoice } from '../worker/protocol';

const DESCRIPTIONS: Record<BackendChoice, string> = {
  auto: 'auto (WebGL on a GPU)',
  fastest: 'auto (fastest)',
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
        title="auto (WebGL on a GPU): WebGL when the machine has a hardware GPU, otherwise wasm, then cpu. auto (fastest): trains for a moment on each backend and keeps the fastest. Applies to runs started from now on."
        value={choice}
        onChange={(event) => {
          const value = BACKEND_CHOICES.find((candidate) => candidate === event.target.value);
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
