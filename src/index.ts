/**
 * The package entry of megasplit (`import … from "megasplit"`): the library API
 * of `src/api/`, and nothing else. See `src/api/index.ts` for the map of it and
 * the README ("Use it from a compiler") for an example.
 */
export * from "./api/index.js";
