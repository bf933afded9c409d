// The workspace's package.json is the one place the release number is written; esbuild
// inlines it into each service's bundle.
// eslint-disable-next-line @nx/enforce-module-boundaries
import rootPackage from '../../../package.json';

/** The release every service reports (heartbeats, /healthz, the ready line). */
export const serviceVersion: string = rootPackage.version;
