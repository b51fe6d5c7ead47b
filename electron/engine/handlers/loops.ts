/** Spaces, loops, turns, moves, steering, drafts, templates and export. */
import type { loopsCalls } from '../../../shared/contract/loops';
import type { HandlersFor, WorkspaceServices } from './services';

export const loopHandlers = (services: WorkspaceServices): HandlersFor<typeof loopsCalls> => {
  const { loops, moves, steering, drafts, templates, exporter, settings, memory } = services;
  return {
    listSpaces: async (input) => loops.listSpaces(input),
    createSpace: (input) => loops.createSpace(input),
    renameSpace: (input) => loops.renameSpace(input),
    archiveSpace: (input) => loops.archiveSpace(input),
    listLoops: async (input) => loops.listLoops(input),
    createLoop: (input) => loops.createLoop(input),
    getLoop: async (input) => settings.warmFor(await loops.getLoop(input)),
    renameLoop: (input) => loops.renameLoop(input),
    archiveLoop: (input) => loops.archiveLoop(input),
    updateIntent: (input) => loops.updateIntent(input),
    setLoopLayout: (input) => loops.setLoopLayout(input),
    addTurn: (input) => memory.addTurn(input),
    getContextUsage: ({ loopId }) => moves.contextUsage(loopId),
    requestMove: (input) => moves.request(input),
    regenerateTurn: (input) => moves.regenerate(input),
    stopMove: (input) => moves.stop(input),
    chooseVersion: (input) => steering.chooseVersion(input),
    steerTurn: (input) => steering.steer(input),
    editTurn: (input) => steering.edit(input),
    saveDraft: (input) => drafts.save(input),
    restoreDraftVersion: (input) => drafts.restoreVersion(input),
    applyRefine: (input) => drafts.applyRefine(input),
    listTemplates: async () => templates.list(),
    saveTemplate: (input) => templates.save(input),
    deleteTemplate: (input) => templates.delete(input),
    exportLoop: (input) => exporter.export(input),
  };
};
