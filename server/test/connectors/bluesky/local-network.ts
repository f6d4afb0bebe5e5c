/** The local AT Protocol network lives with the other stand-ins; tests here import it from this path. */
export { startLocalBluesky } from '@socialcrm/stand-ins';
export type { LocalAccount, LocalBluesky } from '@socialcrm/stand-ins';
