import { version } from '../../package.json';

/**
 * The product's release: package.json's version, bundled in by esbuild (no file is read at run
 * time). The engine trusts what a run carried to the next only under the release that saved it
 * (EngineOptions.release).
 */
export const PRODUCT_RELEASE: string = version;
