/** The package version, written into summary.json (keep equal to package.json's "version"). */
export const PACKAGE_VERSION = '0.1.0';
