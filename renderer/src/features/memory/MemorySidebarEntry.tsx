import { useEffect } from 'react';
import { useKeel } from '../../store/KeelStoreProvider';
import { SidebarPageToggle } from '../common/SidebarPageToggle';

/**
 * The way to the memory page from the sidebar, with a banner while decisions wait for their review.
 * The due reviews are asked for once the workspace is loaded and again when a loop's review date
 * changes (a decision recorded or reviewed).
 */
export function MemorySidebarEntry() {
  const memoryOpen = useKeel((state) => state.memoryOpen);
  const openMemory = useKeel((state) => state.openMemory);
  const closeMemory = useKeel((state) => state.closeMemory);
  const loadDueReviews = useKeel((state) => state.loadDueReviews);
  const dueCount = useKeel((state) => state.dueReviews.length);
  const spacesLoaded = useKeel((state) => state.spacesLoaded);
  const reviewDates = useKeel((state) =>
    state.loops
      .filter((loop) => loop.reviewDue)
      .map((loop) => `${loop.id}:${loop.reviewDue}`)
      .join(' '),
  );

  useEffect(() => {
    if (spacesLoaded) void loadDueReviews();
  }, [spacesLoaded, reviewDates, loadDueReviews]);

  return (
    <>
      {dueCount > 0 && spacesLoaded ? (
        <button type="button" className="mem-due-banner" onClick={() => openMemory({ section: 'reviews' })}>
          {dueCount === 1 ? '1 decision to review' : `${dueCount} decisions to review`}
        </button>
      ) : null}
      <SidebarPageToggle page="memory" open={memoryOpen} onOpen={() => openMemory()} onClose={closeMemory} />
    </>
  );
}
