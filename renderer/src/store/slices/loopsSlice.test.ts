import { afterEach, describe, expect, it, vi } from 'vitest';
import { fail } from '../../../../shared/errors';
import { createFakeKeelApi, makeDecision, makeLoop, makeSummary, makeTurn } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';
import { deriveStage } from '../../../../shared/loopLogic';
import { textAfterSaving } from './loopsSlice';

/** A store with loop-1 open, and a frame scheduler the test runs by hand. */
function setup(loop = makeLoop()) {
  const api = createFakeKeelApi();
  const frames: Array<() => void> = [];
  const store = createKeelStore(api, { requestFrame: (callback) => frames.push(callback) });
  store.setState({ openLoop: loop, loops: [makeSummary({ id: loop.id, spaceId: loop.spaceId })] });
  const runFrames = () => {
    for (const frame of frames.splice(0)) frame();
  };
  return { api, store, frames, runFrames };
}

const streamingAiTurn = makeTurn({
  id: 'turn-ai',
  author: 'ai',
  move: 'explore',
  text: '',
  status: 'streaming',
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the composer', () => {
  it('sending text saves the person’s turn first, then asks for the move', async () => {
    const { api, store } = setup();
    store.getState().setComposerText('loop-1', 'We could enter Norway first.');
    expect(await store.getState().requestMove('challenge')).toBe(true);

    expect(api.addTurn).toHaveBeenCalledWith({ loopId: 'loop-1', text: 'We could enter Norway first.' });
    expect(api.requestMove).toHaveBeenCalledWith({ loopId: 'loop-1', move: 'challenge' });
    expect(api.addTurn.mock.invocationCallOrder[0]).toBeLessThan(
      api.requestMove.mock.invocationCallOrder[0] ?? 0,
    );
    expect(store.getState().composerTexts['loop-1']).toBe('');
    expect(store.getState().openLoop?.turns.map((turn) => [turn.author, turn.status])).toEqual([
      ['person', 'complete'],
      ['ai', 'streaming'],
    ]);
    expect(store.getState().sendingLoopId).toBeNull();
  });

  it('sending with nothing typed only asks for the move', async () => {
    const { api, store } = setup();
    await store.getState().requestMove('ask');
    expect(api.addTurn).not.toHaveBeenCalled();
    expect(api.requestMove).toHaveBeenCalledWith({ loopId: 'loop-1', move: 'ask' });
  });

  it('a failed save keeps the text, shows the error and asks nothing', async () => {
    const { api, store } = setup();
    api.addTurn.mockResolvedValueOnce(fail({ code: 'storage-failed', message: 'The disk is full.' }));
    store.getState().setComposerText('loop-1', 'Precious thought');
    expect(await store.getState().requestMove('explore')).toBe(false);

    expect(store.getState().composerTexts['loop-1']).toBe('Precious thought');
    expect(store.getState().notices.map((notice) => notice.error)).toEqual([
      { code: 'storage-failed', message: 'The disk is full.' },
    ]);
    expect(api.requestMove).not.toHaveBeenCalled();
    expect(store.getState().openLoop?.turns).toEqual([]);
  });

  it('a call that throws (a broken bridge) becomes a readable error, and the text stays', async () => {
    const { api, store } = setup();
    api.addTurn.mockRejectedValueOnce(new Error('bridge gone'));
    store.getState().setComposerText('loop-1', 'Keep me');
    await store.getState().addNote();
    expect(store.getState().composerTexts['loop-1']).toBe('Keep me');
    expect(store.getState().notices[0]?.error.code).toBe('internal');
  });

  it('add note saves the turn without asking the AI', async () => {
    const { api, store } = setup();
    store.getState().setComposerText('loop-1', 'Note to self');
    expect(await store.getState().addNote()).toBe(true);
    expect(api.addTurn).toHaveBeenCalledTimes(1);
    expect(api.requestMove).not.toHaveBeenCalled();
    expect(store.getState().composerTexts['loop-1']).toBe('');
  });

  it('keeps what the person typed while their turn was being saved', () => {
    expect(textAfterSaving('First', 'First')).toBe('');
    expect(textAfterSaving('First\nand more', 'First')).toBe('and more');
    expect(textAfterSaving('Rewritten', 'First')).toBe('Rewritten');
  });

  it('a failed move request is shown; the person’s turn stays saved', async () => {
    const { api, store } = setup();
    api.requestMove.mockResolvedValueOnce(
      fail({ code: 'model-missing', message: 'Run `ollama pull llama3.2`.' }),
    );
    store.getState().setComposerText('loop-1', 'Thinking');
    expect(await store.getState().requestMove('explore')).toBe(false);
    expect(store.getState().openLoop?.turns).toHaveLength(1);
    expect(store.getState().notices[0]?.error.code).toBe('model-missing');
  });
});

describe('streaming', () => {
  it('coalesces deltas into one update per frame, on the right turn', () => {
    const other = makeTurn({
      id: 'turn-other',
      author: 'ai',
      move: 'ask',
      text: 'Done.',
      status: 'complete',
    });
    const { store, frames, runFrames } = setup(makeLoop({ turns: [other, streamingAiTurn] }));
    const updates = vi.fn();
    store.subscribe(updates);

    store.getState().applyDelta({ loopId: 'loop-1', turnId: 'turn-ai', text: 'One ' });
    store.getState().applyDelta({ loopId: 'loop-1', turnId: 'turn-ai', text: 'two ', thinking: 'hmm' });
    store.getState().applyDelta({ loopId: 'loop-1', turnId: 'turn-ai', text: 'three' });
    expect(frames).toHaveLength(1);
    expect(updates).not.toHaveBeenCalled();

    runFrames();
    expect(updates).toHaveBeenCalledTimes(1);
    const turns = store.getState().openLoop?.turns ?? [];
    expect(turns.find((turn) => turn.id === 'turn-ai')?.text).toBe('One two three');
    expect(turns.find((turn) => turn.id === 'turn-ai')?.thinking).toBe('hmm');
    expect(turns.find((turn) => turn.id === 'turn-other')).toBe(other);
  });

  it('deltas arrive through the engine’s events', () => {
    const { api, store, runFrames } = setup(makeLoop({ turns: [streamingAiTurn] }));
    const stop = store.getState().start();
    api.emit({ type: 'turn.delta', loopId: 'loop-1', turnId: 'turn-ai', text: 'Hello' });
    api.emit({ type: 'turn.delta', loopId: 'loop-1', turnId: 'turn-ai', text: ', world' });
    runFrames();
    expect(store.getState().openLoop?.turns[0]?.text).toBe('Hello, world');
    stop();
    expect(api.listenerCount()).toBe(0);
  });

  it('ignores deltas of another loop', () => {
    const { store, runFrames } = setup(makeLoop({ turns: [streamingAiTurn] }));
    store.getState().applyDelta({ loopId: 'loop-2', turnId: 'turn-elsewhere', text: 'Not here' });
    runFrames();
    expect(store.getState().openLoop?.turns[0]?.text).toBe('');
  });

  it('falls back to a timer when there is no requestAnimationFrame', () => {
    vi.useFakeTimers();
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    store.setState({ openLoop: makeLoop({ turns: [streamingAiTurn] }) });
    store.getState().applyDelta({ loopId: 'loop-1', turnId: 'turn-ai', text: 'a' });
    store.getState().applyDelta({ loopId: 'loop-1', turnId: 'turn-ai', text: 'b' });
    expect(store.getState().openLoop?.turns[0]?.text).toBe('');
    vi.advanceTimersByTime(20);
    expect(store.getState().openLoop?.turns[0]?.text).toBe('ab');
  });

  it('turn.started adds the AI turn and turn.finished replaces it, dropping stale deltas', () => {
    const { api, store, runFrames } = setup();
    store.getState().start();
    api.emit({ type: 'turn.started', loopId: 'loop-1', turn: streamingAiTurn });
    expect(store.getState().openLoop?.turns).toEqual([streamingAiTurn]);

    api.emit({ type: 'turn.delta', loopId: 'loop-1', turnId: 'turn-ai', text: 'Partial' });
    const finished = {
      ...streamingAiTurn,
      text: 'The whole answer.',
      status: 'complete' as const,
      model: 'llama3.2',
    };
    api.emit({ type: 'turn.finished', loopId: 'loop-1', turn: finished });
    runFrames();
    expect(store.getState().openLoop?.turns).toEqual([finished]);
  });

  it('a late requestMove answer never wipes text that already streamed in', async () => {
    const { api, store, runFrames } = setup();
    store.getState().start();
    api.requestMove.mockImplementationOnce(async () => {
      api.emit({ type: 'turn.started', loopId: 'loop-1', turn: streamingAiTurn });
      api.emit({ type: 'turn.delta', loopId: 'loop-1', turnId: 'turn-ai', text: 'Already here' });
      runFrames();
      return { ok: true, value: streamingAiTurn };
    });
    await store.getState().requestMove('explore');
    expect(store.getState().openLoop?.turns.map((turn) => turn.text)).toEqual(['Already here']);
  });

  it('a failed turn keeps the text that arrived and carries its error', () => {
    const { api, store } = setup(makeLoop({ turns: [{ ...streamingAiTurn, text: 'Half' }] }));
    store.getState().start();
    const failed = {
      ...streamingAiTurn,
      text: 'Half',
      status: 'failed' as const,
      error: { code: 'stream-stalled', message: 'No words for 60 s.' },
    };
    api.emit({ type: 'turn.finished', loopId: 'loop-1', turn: failed });
    expect(store.getState().openLoop?.turns[0]).toEqual(failed);
  });

  it('moves the loop with new activity to the top of the list', () => {
    const { store } = setup();
    store.setState({
      loops: [makeSummary({ id: 'loop-2', updatedAt: '2025-01-01T10:05:00.000Z' }), makeSummary()],
    });
    store.getState().applyTurn(makeTurn({ updatedAt: '2025-01-01T11:00:00.000Z' }), 'replace');
    expect(store.getState().loops.map((loop) => loop.id)).toEqual(['loop-1', 'loop-2']);
    expect(store.getState().loops[0]?.turnCount).toBe(1);
  });
});

describe('stop', () => {
  it('stops the streaming turn and keeps its text, marked stopped', async () => {
    const { api, store } = setup(makeLoop({ turns: [{ ...streamingAiTurn, text: 'Partial' }] }));
    await store.getState().stop();
    expect(api.stopMove).toHaveBeenCalledWith({ loopId: 'loop-1', turnId: 'turn-ai' });
    expect(store.getState().openLoop?.turns[0]).toMatchObject({ status: 'stopped', text: 'Partial' });
  });

  it('does nothing when nothing is streaming', async () => {
    const { api, store } = setup();
    await store.getState().stop();
    expect(api.stopMove).not.toHaveBeenCalled();
  });
});

describe('loops', () => {
  it('creating a loop lists it and opens it, with the goal as its intent', async () => {
    const { api, store } = setup();
    const result = await store
      .getState()
      .createLoop({ spaceId: 'space-1', title: 'Pricing', goal: ' Decide by May ' });
    expect(result.ok).toBe(true);
    expect(api.createLoop).toHaveBeenCalledWith({
      spaceId: 'space-1',
      title: 'Pricing',
      intent: { goal: 'Decide by May' },
    });
    expect(store.getState().openLoop?.id).toBe('loop-new');
    expect(store.getState().loops[0]?.id).toBe('loop-new');
  });

  it('leaves the intent out when there is no goal', async () => {
    const { api, store } = setup();
    await store.getState().createLoop({ spaceId: 'space-1', title: 'Pricing', goal: '  ' });
    expect(api.createLoop).toHaveBeenCalledWith({ spaceId: 'space-1', title: 'Pricing' });
  });

  it('a slow answer for a loop the person already left is dropped', async () => {
    const { api, store } = setup();
    let answerFirst: () => void = () => {};
    api.getLoop.mockImplementationOnce(
      (input) =>
        new Promise((resolve) => {
          answerFirst = () => resolve({ ok: true, value: makeLoop({ id: input.loopId }) });
        }),
    );
    const first = store.getState().openLoopById('loop-slow');
    await store.getState().openLoopById('loop-fast');
    answerFirst();
    await first;
    expect(store.getState().openLoop?.id).toBe('loop-fast');
  });

  it('renaming updates the list and the open loop; archiving closes it', async () => {
    const { store } = setup();
    await store.getState().renameLoop('loop-1', 'Market entry, revisited');
    expect(store.getState().openLoop?.title).toBe('Market entry, revisited');
    expect(store.getState().loops[0]?.title).toBe('Market entry, revisited');
    await store.getState().archiveLoop('loop-1');
    expect(store.getState().openLoop).toBeNull();
    expect(store.getState().loops).toEqual([]);
  });
});

describe('retrying a move', () => {
  it('asks again for the same move with the same steering', async () => {
    const failed = makeTurn({
      id: 'turn-failed',
      author: 'ai',
      move: 'challenge',
      steer: 'for a board audience',
      text: '',
      status: 'failed',
      error: { code: 'model-missing', message: 'The model "llama3.2" is not installed.' },
      model: 'llama3.2',
    });
    const { api, store } = setup(makeLoop({ turns: [failed] }));
    expect(await store.getState().retryTurn('turn-failed')).toBe(true);
    expect(api.requestMove).toHaveBeenCalledWith({
      loopId: 'loop-1',
      move: 'challenge',
      steer: 'for a board audience',
    });
    expect(store.getState().openLoop?.turns.map((turn) => turn.status)).toEqual(['failed', 'streaming']);
  });

  it('retries a stopped move without steering, and never a complete one or a person’s turn', async () => {
    const stopped = makeTurn({ id: 'turn-stopped', author: 'ai', move: 'ask', status: 'stopped' });
    const complete = makeTurn({ id: 'turn-done', author: 'ai', move: 'explore', status: 'complete' });
    const person = makeTurn({ id: 'turn-person', author: 'person', move: 'say', status: 'complete' });
    const { api, store } = setup(makeLoop({ turns: [person, complete, stopped] }));
    expect(await store.getState().retryTurn('turn-done')).toBe(false);
    expect(await store.getState().retryTurn('turn-person')).toBe(false);
    expect(api.requestMove).not.toHaveBeenCalled();
    expect(await store.getState().retryTurn('turn-stopped')).toBe(true);
    expect(api.requestMove).toHaveBeenCalledWith({ loopId: 'loop-1', move: 'ask' });
  });

  it('does not retry while the AI is still writing in the loop', async () => {
    const stopped = makeTurn({ id: 'turn-stopped', author: 'ai', move: 'ask', status: 'stopped' });
    const { api, store } = setup(makeLoop({ turns: [stopped, streamingAiTurn] }));
    expect(await store.getState().retryTurn('turn-stopped')).toBe(false);
    expect(api.requestMove).not.toHaveBeenCalled();
  });
});

describe('context usage', () => {
  it('is asked for when a loop opens and again after each finished turn', async () => {
    const { api, store } = setup();
    await store.getState().openLoopById('loop-1');
    await vi.waitFor(() => expect(store.getState().contextUsage?.loopId).toBe('loop-1'));
    expect(api.getContextUsage).toHaveBeenCalledWith({ loopId: 'loop-1' });
    expect(store.getState().contextUsage?.usage.numCtx).toBe(8192);

    store.getState().applyTurn(streamingAiTurn, 'insert-only');
    expect(api.getContextUsage).toHaveBeenCalledTimes(1);
    store.getState().applyTurn({ ...streamingAiTurn, text: 'Done.', status: 'complete' }, 'replace');
    await vi.waitFor(() => expect(api.getContextUsage).toHaveBeenCalledTimes(2));
  });

  it('steps aside when the engine cannot say (the model is missing)', async () => {
    const { api, store } = setup();
    store.setState({
      contextUsage: {
        loopId: 'loop-1',
        usage: {
          model: 'llama3.2',
          numCtx: 8192,
          estimatedTokens: 10,
          reserveForAnswer: 1024,
          omittedTurns: 0,
        },
      },
    });
    api.getContextUsage.mockResolvedValueOnce(fail({ code: 'model-missing', message: 'Not installed.' }));
    await store.getState().refreshContextUsage();
    expect(store.getState().contextUsage).toBeNull();
  });

  it('drops an answer for a loop the person has left', async () => {
    const { api, store } = setup();
    let answer: (value: Awaited<ReturnType<typeof api.getContextUsage>>) => void = () => undefined;
    api.getContextUsage.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const refreshing = store.getState().refreshContextUsage();
    store.getState().closeLoop();
    answer({
      ok: true,
      value: {
        model: 'llama3.2',
        numCtx: 8192,
        estimatedTokens: 10,
        reserveForAnswer: 1024,
        omittedTurns: 0,
      },
    });
    await refreshing;
    expect(store.getState().contextUsage).toBeNull();
  });

  it('opening a loop closes Settings', async () => {
    const { store } = setup();
    store.getState().openSettings();
    await store.getState().openLoopById('loop-1');
    expect(store.getState().settingsOpen).toBe(false);
  });
});

describe('steering, edits and versions', () => {
  const explore = makeTurn({ id: 'turn-a', author: 'ai', move: 'explore', text: 'Options' });
  const note = makeTurn({ id: 'turn-b', text: 'My note' });

  it('steering a turn applies the engine’s answer to the open loop', async () => {
    const { api, store } = setup(makeLoop({ turns: [explore, note] }));
    const result = await store
      .getState()
      .steerTurn({ loopId: 'loop-1', turnId: 'turn-a', state: 'set-aside', reason: 'too generic' });
    expect(result.ok).toBe(true);
    expect(api.steerTurn).toHaveBeenCalledWith({
      loopId: 'loop-1',
      turnId: 'turn-a',
      state: 'set-aside',
      reason: 'too generic',
    });
    expect(store.getState().openLoop?.turns[0]?.steering).toMatchObject({
      state: 'set-aside',
      reason: 'too generic',
    });
    expect(store.getState().openLoop?.turns.map((turn) => turn.id)).toEqual(['turn-a', 'turn-b']);
  });

  it('a refused steer is returned to the control and changes nothing', async () => {
    const { api, store } = setup(makeLoop({ turns: [explore] }));
    api.steerTurn.mockResolvedValueOnce(fail({ code: 'invalid-input', message: 'Only AI turns.' }));
    const result = await store.getState().steerTurn({ loopId: 'loop-1', turnId: 'turn-a', state: 'pinned' });
    expect(result).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Only AI turns.' } });
    expect(store.getState().openLoop?.turns[0]).toEqual(explore);
  });

  it('an edit replaces the text and keeps the original', async () => {
    const { store } = setup(makeLoop({ turns: [explore] }));
    await store.getState().editTurn({ loopId: 'loop-1', turnId: 'turn-a', text: 'Sharper options' });
    const turn = store.getState().openLoop?.turns[0];
    expect(turn?.text).toBe('Sharper options');
    expect(turn?.edited?.originalText).toBe('Hello');
  });

  it('a regenerated version goes right after its group’s last version, not at the end', async () => {
    const second = makeTurn({
      id: 'turn-a2',
      author: 'ai',
      move: 'explore',
      text: 'Two',
      versionOf: 'turn-a',
    });
    const { api, store } = setup(makeLoop({ turns: [explore, second, note] }));
    const result = await store
      .getState()
      .regenerateTurn({ loopId: 'loop-1', turnId: 'turn-a', steer: ' Bolder ' });
    expect(api.regenerateTurn).toHaveBeenCalledWith({ loopId: 'loop-1', turnId: 'turn-a', steer: 'Bolder' });
    expect(result.ok && result.value.status).toBe('streaming');
    expect(store.getState().openLoop?.turns.map((turn) => turn.id)).toEqual([
      'turn-a',
      'turn-a2',
      'turn-regenerated',
      'turn-b',
    ]);
  });

  it('a version arriving as turn.started is placed the same way, and the answer does not add it twice', async () => {
    const { api, store } = setup(makeLoop({ turns: [explore, note] }));
    const version = makeTurn({
      id: 'turn-regenerated',
      author: 'ai',
      move: 'explore',
      text: '',
      status: 'streaming',
      versionOf: 'turn-a',
    });
    api.regenerateTurn.mockImplementationOnce(async () => {
      api.emit({ type: 'turn.started', loopId: 'loop-1', turn: version });
      return { ok: true, value: version };
    });
    await store.getState().regenerateTurn({ loopId: 'loop-1', turnId: 'turn-a' });
    expect(store.getState().openLoop?.turns.map((turn) => turn.id)).toEqual([
      'turn-a',
      'turn-regenerated',
      'turn-b',
    ]);
  });

  it('choosing a version marks it on the group’s first turn', async () => {
    const second = makeTurn({
      id: 'turn-a2',
      author: 'ai',
      move: 'explore',
      text: 'Two',
      versionOf: 'turn-a',
    });
    const { api, store } = setup(makeLoop({ turns: [explore, second] }));
    api.chooseVersion.mockResolvedValueOnce({ ok: true, value: second });
    await store.getState().chooseVersion({ loopId: 'loop-1', turnId: 'turn-a2' });
    expect(store.getState().openLoop?.turns[0]?.chosenVersion).toBe('turn-a2');
  });

  it('the template’s suggested move goes once the AI has moved', () => {
    const { store } = setup(makeLoop({ suggestedMove: 'ask' }));
    store.getState().applyTurn(note, 'insert-only');
    expect(store.getState().openLoop?.suggestedMove).toBe('ask');
    store
      .getState()
      .applyTurn(makeTurn({ id: 'turn-ai', author: 'ai', move: 'ask', status: 'streaming' }), 'insert-only');
    expect(store.getState().openLoop?.suggestedMove).toBeUndefined();
  });

  it('the stage follows the moves as they arrive', () => {
    const { store } = setup();
    store.getState().applyTurn(makeTurn({ id: 'turn-c', author: 'ai', move: 'challenge' }), 'insert-only');
    expect(store.getState().openLoop?.stage).toBe('challenge');
    expect(store.getState().loops[0]?.stage).toBe('challenge');
    expect(deriveStage([], true)).toBe('decide');
    expect(deriveStage([makeTurn({ move: 'edit' })], false)).toBe('refine');
  });
});

describe('intent and decision', () => {
  it('saving the intent puts the engine’s loop on screen and in the list', async () => {
    const { api, store } = setup();
    api.updateIntent.mockResolvedValueOnce({
      ok: true,
      value: makeLoop({ intent: { goal: 'Enter Norway', context: '', constraints: '', goodLooksLike: '' } }),
    });
    const result = await store.getState().updateIntent('loop-1', { goal: 'Enter Norway' });
    expect(result.ok).toBe(true);
    expect(api.updateIntent).toHaveBeenCalledWith({ loopId: 'loop-1', intent: { goal: 'Enter Norway' } });
    expect(store.getState().openLoop?.intent.goal).toBe('Enter Norway');
  });

  it('a loop sent back whole keeps the text still streaming in', async () => {
    const streaming = makeTurn({
      id: 'turn-ai',
      author: 'ai',
      move: 'explore',
      text: 'So far',
      status: 'streaming',
    });
    const { api, store } = setup(makeLoop({ turns: [streaming] }));
    api.updateIntent.mockResolvedValueOnce({
      ok: true,
      value: makeLoop({ turns: [{ ...streaming, text: '' }] }),
    });
    await store.getState().updateIntent('loop-1', { context: 'More' });
    expect(store.getState().openLoop?.turns[0]?.text).toBe('So far');
  });

  it('recording a decision shows it and marks the loop decided in the list', async () => {
    const { api, store } = setup();
    const result = await store.getState().recordDecision({
      loopId: 'loop-1',
      choice: 'Enter Germany',
      rationale: 'Largest market',
      optionsSetAside: 'Norway',
      confidence: 70,
      prediction: 'Break even in 2 years',
      reviewDate: '2027-03-31',
    });
    expect(result.ok).toBe(true);
    expect(api.recordDecision).toHaveBeenCalledWith(expect.objectContaining({ confidence: 70 }));
    expect(store.getState().openLoop?.decision?.choice).toBe('Enter Germany');
    expect(store.getState().loops[0]).toMatchObject({ decided: true, stage: 'decide' });
  });

  it('a refused decision comes back with its field and changes nothing', async () => {
    const { api, store } = setup();
    api.recordDecision.mockResolvedValueOnce(
      fail({ code: 'invalid-input', message: 'The confidence must be at most 100.', field: 'confidence' }),
    );
    const result = await store.getState().recordDecision({ loopId: 'loop-1', choice: 'X', confidence: 150 });
    expect(!result.ok && result.error.field).toBe('confidence');
    expect(store.getState().openLoop?.decided).toBe(false);
  });

  it('reopening moves the decision to the earlier ones', async () => {
    const { store } = setup(makeLoop({ decided: true, decision: makeDecision() }));
    await store.getState().reopenLoop('loop-1');
    expect(store.getState().openLoop?.decision).toBeUndefined();
    expect(store.getState().openLoop?.pastDecisions).toHaveLength(1);
  });

  it('a challenge of the decision about to be recorded sends the form’s values', async () => {
    const { api, store } = setup();
    const result = await store
      .getState()
      .challengeDecision('loop-1', { choice: 'Enter Germany', confidence: 80 });
    expect(result.ok).toBe(true);
    expect(api.requestMove).toHaveBeenCalledWith({
      loopId: 'loop-1',
      move: 'challenge',
      decision: { choice: 'Enter Germany', confidence: 80 },
    });
    expect(store.getState().openLoop?.turns.map((turn) => turn.id)).toEqual(['turn-ai']);
  });

  it('no challenge while the AI is still writing', async () => {
    const { api, store } = setup(makeLoop({ turns: [streamingAiTurn] }));
    const result = await store.getState().challengeDecision('loop-1', { choice: 'X' });
    expect(!result.ok && result.error.code).toBe('busy');
    expect(api.requestMove).not.toHaveBeenCalled();
  });

  it('creates a loop from a template', async () => {
    const { api, store } = setup();
    await store
      .getState()
      .createLoop({ spaceId: 'space-1', title: 'Market entry', templateId: 'market-entry' });
    expect(api.createLoop).toHaveBeenCalledWith({
      spaceId: 'space-1',
      title: 'Market entry',
      templateId: 'market-entry',
    });
  });
});
