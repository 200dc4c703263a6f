/** Engine: backend selection and the project's kernels for the TF.js WebAssembly backend. */
export { BACKENDS, selectBackend, engineInfo, formatEngineInfo } from './backend';
export type { BackendName, EngineInfo, SelectOptions } from './backend';
export { registerWasmGradients, WASM_KERNELS } from './wasm-kernels';
