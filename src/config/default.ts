// What `npm start` runs with when there is no config file: no external service needed.
export const EMBEDDED_DEFAULT = {
  stdout: { enabled: true },
};
