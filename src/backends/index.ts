/**
 * Choosing and proving the TensorFlow.js backend; the environment report. (Kernel registrations are internal: selectBackend does them.)
 *
 * The public names of src/backends/, listed one by one: what is not here is internal to the library.
 */
export { codePathSettings, describeBackend, forcedBackend, LEGACY_UTIL_HELPERS, proveBackend, provideLegacyUtilHelpers, selectBackend } from './backend';
export type { BackendAttempt, BackendInfo, BackendName, BackendProof } from './backend';
export { courseProfile, environmentReport, measureMatMul } from './environment';
// Fused conv/matmul + bias + activation on the native backend (selectBackend registers them; here to report and test them).
export { nativeFusedOps, registerNativeFusedKernels } from './native-fused';
export { installNativeAdam } from './native-adam';
export { nativeDirectOpCount } from './native-binding';
export type { EnvironmentReport, MatMulTiming } from './environment';
