/** Speed: fast (flat out) or watch (real time, 20 steps/s × 1…10). Applies at once. */
import { usePlayground } from '../store/index';
import { MAX_MULTIPLIER, MIN_MULTIPLIER } from '../worker/protocol';
import { useCommands } from './commandsContext';

export function SpeedControl() {
  const client = useCommands();
  const speed = usePlayground((state) => state.speed);
  return (
    <div className="field speed">
      <fieldset className="segmented">
        <legend>Speed</legend>
        <label>
          <input type="radio" name="speed" value="fast" checked={speed.mode === 'fast'} onChange={() => client.setSpeed({ ...speed, mode: 'fast' })} />
          Fast
        </label>
        <label>
          <input type="radio" name="speed" value="watch" checked={speed.mode === 'watch'} onChange={() => client.setSpeed({ ...speed, mode: 'watch' })} />
          Watch
        </label>
      </fieldset>
      <label className="inline-slider" title="Watch mode: real time (dt = 0.05 s) times this">
        <span>Speed multiplier</span>
        <input
          type="range"
          min={MIN_MULTIPLIER}
          max={MAX_MULTIPLIER}
          step={1}
          value={speed.multiplier}
          disabled={speed.mode !== 'watch'}
          onChange={(event) => client.setSpeed({ ...speed, multiplier: Number(event.target.value) })}
        />
        <span className="slider-value">×{speed.multiplier}</span>
      </label>
    </div>
  );
}
