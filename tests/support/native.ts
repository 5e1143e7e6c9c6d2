/**
 * Is tfjs-node (the optional native backend, `npm run native`) installed here? Native tests skip without it —
 * `npm test` counts and names skipped tests — except under COURSE_REQUIRE_NATIVE=1 (CI), where they run and fail.
 */
export function nativeAvailable(): boolean {
  if (process.env.COURSE_REQUIRE_NATIVE === '1') return true;
  try {
    require.resolve('tfjs-node-native');
    return true;
  } catch {
    return false;
  }
}
