/** Identity resolution: which Contact or Lead is behind a social persona. Pure: no I/O. */
export * from './handles.ts';
export * from './directory.ts';
export {
  resolvePerson,
  DEFAULT_THRESHOLD,
  DEFAULT_SUGGEST_THRESHOLD,
  DEFAULT_TIE_MARGIN,
} from './resolve.ts';
export type { PersonRef, PersonMatch, Resolution, ResolveOptions } from './resolve.ts';
export { linkAcrossNetworks } from './cross-network.ts';
export type { PersonaInput, CrossNetworkOptions } from './cross-network.ts';
