/** Memory: what Keel keeps of the person, lessons and suggestions. */
import type { memoryCalls } from '../../../shared/contract/memory';
import type { HandlersFor, WorkspaceServices } from './services';

export const memoryHandlers = ({ memory, search }: WorkspaceServices): HandlersFor<typeof memoryCalls> => ({
  listMemories: (input) => memory.list(input),
  getMemory: ({ memoryId }) => memory.get(memoryId),
  remember: (input) => memory.remember(input),
  updateMemory: (input) => memory.update(input),
  forgetMemory: ({ memoryId }) => search.forgetMemory(memoryId),
  markMemoryNotRelevant: (input) => memory.markNotRelevant(input),
  proposeLessons: ({ loopId }) => memory.proposeLessons(loopId),
  acceptLesson: (input) => memory.acceptLesson(input),
  listMemorySuggestions: () => memory.suggestions(),
  dismissMemorySuggestion: ({ suggestionId }) => memory.dismissSuggestion(suggestionId),
});
