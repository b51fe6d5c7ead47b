import { loopStages, type LoopStage } from '../../../../shared/domain';

const stageLabels: Record<LoopStage, string> = {
  frame: 'Frame',
  explore: 'Explore',
  challenge: 'Challenge',
  refine: 'Refine',
  decide: 'Decide',
  learn: 'Learn',
};

/** Where the loop stands. A guide, not a wizard: any move is open at any stage. */
export function StageTrail({ stage }: { stage: LoopStage }) {
  const current = loopStages.indexOf(stage);
  return (
    <ol
      className="stage-trail"
      aria-label="Loop stage"
      title="Where the loop stands. A guide only: any move is open at any time."
    >
      {loopStages.map((value, index) => (
        <li
          key={value}
          className={
            index < current ? 'stage stage-past' : index === current ? 'stage stage-current' : 'stage'
          }
          aria-current={index === current ? 'step' : undefined}
        >
          {stageLabels[value]}
        </li>
      ))}
    </ol>
  );
}
