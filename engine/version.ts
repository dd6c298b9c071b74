/** Bumped whenever the engine's semantics change (ordering, fill model, warm-up rules): it is part of every lock. */
export const ENGINE_VERSION = '1.0.0';
