// What `npm start` runs with when there is no config file: no external service needed. The spool
// is on by default (./data): an acknowledged alert is on disk before the reply.
export const EMBEDDED_DEFAULT = {
  stdout: { enabled: true },
};
