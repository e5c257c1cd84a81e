/** What can run a topology's parts: local processes (the default) or Docker containers. */
export const RUNTIME_NAMES = ['process', 'docker'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];
