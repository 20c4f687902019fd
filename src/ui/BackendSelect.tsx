/** The "Backend" selector: applies on the next Start/Restart. */
import { usePlayground, playgroundStore } from '../store/index';
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
  const runBackend = usePlayground((state) => state.backend);
  const runExists = usePlayground((state) => state.runId !== null);
  const pending = runExists && runBackend !== null && runBackend.requested !== choice;
  return (
    <div className="field">
      <label htmlFor="backend-select">Backend</label>
      <select
        id="backend-select"
        title="auto (WebGL on a GPU): WebGL when the machine has a hardware GPU, otherwise wasm, then cpu. auto (fastest): trains for a moment on each backend and keeps the fastest. Applies when you (re)start."
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
      <span className={`badge ${pending ? 'badge-pending' : 'badge-restart'}`}>{pending ? 'applies at Restart' : 'restart'}</span>
    </div>
  );
}
