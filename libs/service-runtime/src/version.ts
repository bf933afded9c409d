import rootPackage from '../../../package.json';

/** The release every service reports (heartbeats, /healthz, the ready line). */
export const serviceVersion: string = rootPackage.version;
