/** crashkd's version, kept in step with package.json. */
export const CRASHKD_VERSION = '0.1.0';
