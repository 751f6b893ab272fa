/** Platform seconds of each phase of the instance state machine (`docs/simulator.md` § Clock and timings). */
export const TIMINGS = {
  toCreated: 3,
  toLoading: 5,
  bootBase: 40,
  bootPytorch: 90,
  slowBootFactor: 5,
  toStopped: 1,
  scheduling: 5,
  resumeLoading: 15,
  lateSshPort: 20,
  longPause: 120,
  stuckScheduling: 7200,
} as const;

/** The image Dumont falls back to under the custom-image-ignored defect (and VAST's create default). */
export const BASE_IMAGE = 'vastai/base-image:latest';
