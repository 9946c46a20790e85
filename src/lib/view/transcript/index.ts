/** The transcript view engine (see engine.ts); the Svelte shell is components/TranscriptView.svelte. */
export { TranscriptEngine, type EngineCallbacks, type Block } from './engine';
export { HeightMap } from './heights';
export { diff as segmentDiff } from './segindex';
