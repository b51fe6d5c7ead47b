/**
 * The name of every call, and how a host carries one (its IPC channel, its HTTP path). Free of zod
 * on purpose: the sandboxed preload needs only these names, and bundles what it imports. The
 * contract (`./index.ts`) has one entry per name here, which the compiler checks both ways.
 */
export const callNames = [
  // app
  'getAppInfo',
  'getOutboundLog',
  'getBackgroundProblems',
  'openExternal',
  'chooseModelFile',
  // trust
  'getEngineState',
  'unlock',
  'lock',
  'setPassphrase',
  'removePassphrase',
  'listBackups',
  'backupNow',
  'restoreBackup',
  'exportArchive',
  'importArchive',
  'settleImportedSettings',
  // models
  'getSettings',
  'updateSettings',
  'useModelFile',
  'listModels',
  'setSpaceModels',
  'pullModel',
  'cancelPull',
  'getModelCatalog',
  'downloadModel',
  'cancelModelDownload',
  'warmModel',
  'getModelStatus',
  // loops
  'listSpaces',
  'createSpace',
  'renameSpace',
  'archiveSpace',
  'listLoops',
  'createLoop',
  'getLoop',
  'renameLoop',
  'archiveLoop',
  'updateIntent',
  'setLoopLayout',
  'addTurn',
  'requestMove',
  'regenerateTurn',
  'chooseVersion',
  'steerTurn',
  'editTurn',
  'stopMove',
  'getContextUsage',
  'saveDraft',
  'restoreDraftVersion',
  'applyRefine',
  'listTemplates',
  'saveTemplate',
  'deleteTemplate',
  'exportLoop',
  // ledger
  'recordDecision',
  'updateForecast',
  'resolveDecision',
  'gradeDecision',
  'getLedger',
  'reopenLoop',
  'listDueReviews',
  // memory
  'listMemories',
  'getMemory',
  'remember',
  'updateMemory',
  'forgetMemory',
  'markMemoryNotRelevant',
  'proposeLessons',
  'acceptLesson',
  'listMemorySuggestions',
  'dismissMemorySuggestion',
  // sources
  'addSource',
  'listSources',
  'readSource',
  'getSourceFile',
  'renameSource',
  'removeSource',
  'setSourceInLoop',
  'search',
  // sync
  'setUpSync',
  'joinSync',
  'getSyncStatus',
  'listSync',
  'pauseSync',
  'leaveSync',
  'dismissSyncConflict',
] as const;
export type CallName = (typeof callNames)[number];

const known: ReadonlySet<string> = new Set(callNames);
export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && known.has(value);
}

/** The IPC channel that carries one call (derived, never typed by hand). */
export function ipcChannel(name: CallName): string {
  return `keel:call:${name}`;
}
export const ipcEventChannel = 'keel:event';
/** The IPC channel of the desktop window's upload (bytes, never base64). */
export const ipcUploadChannel = 'keel:upload';
/** The IPC channel of the desktop window's download of a file the engine made (bytes, never base64). */
export const ipcDownloadChannel = 'keel:download';

/** Where the web host takes calls: `POST <callPathPrefix><name>`. */
export const callPathPrefix = '/api/call/';
/** The web host's path of one call (derived, never typed by hand). */
export function callPath(name: CallName): string {
  return `${callPathPrefix}${name}`;
}
