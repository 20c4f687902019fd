/**
 * A picked actor file of another network than the run it would go into (issue 10.5): the message names
 * what the file has and what was expected, and, when a run can load it, a button makes one.
 */
import { usePlayground } from '../store/index';
import { useCommands } from './commandsContext';

export function ActorFileOffer() {
  const commands = useCommands();
  const offer = usePlayground((state) => state.actorFileOffer);
  if (!offer) return null;
  return (
    <div className="banner banner-error" role="alert">
      <span>{offer.message}</span>
      {offer.fittingHiddenSize !== null && (
        <button type="button" onClick={() => void commands.startRunForActorFile()}>
          {`Start a run with hidden size ${offer.fittingHiddenSize}`}
        </button>
      )}
      <button type="button" className="link" onClick={() => commands.dismissActorFileOffer()} aria-label="Dismiss the actor file message">
        ✕
      </button>
    </div>
  );
}
