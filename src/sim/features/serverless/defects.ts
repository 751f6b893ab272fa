/** Defects of the serverless feature (`./index.ts`). Pure data: the registry is imported by workflow code. */
import type { DefectDeclaration } from '../../defect-types';

/** The serverless feature's defects, one per scenario 16–27. */
export const SERVERLESS_DEFECTS = [
  {
    name: 'serverless-config-not-persisted',
    scenario: 16,
    check: 'config-persisted',
    hook: 'POST /serverless/enable/{id} (serverless feature)',
    scope: 'label',
    description:
      'Enable answers with the configuration sent, but stores the defaults (mode spot, 10 s idle timeout, 5 % GPU threshold), which the status then shows.',
  },
  {
    name: 'fast-mode-downgraded-to-economic',
    scenario: 17,
    check: 'mode-fast',
    hook: 'POST /serverless/enable/{id} (serverless feature)',
    scope: 'label',
    description: 'The fast mode is silently stored as economic, so no CPU standby is created and no sync runs.',
  },
  {
    name: 'economic-pause-not-native',
    scenario: 18,
    check: 'paused-natively',
    hook: 'serverless auto-pause monitor (serverless feature)',
    scope: 'label',
    description:
      'In economic mode the idle pause is only recorded (is_paused true): the instance keeps running and billing.',
  },
  {
    name: 'idle-threshold-not-applied',
    scenario: 19,
    check: 'threshold-applied',
    hook: 'serverless auto-pause monitor (serverless feature)',
    scope: 'label',
    description:
      'The idle timeout is accepted and echoed by the status, but the monitor pauses after the default 10 s whatever was set.',
  },
  {
    name: 'disable-pauses-instance',
    scenario: 20,
    check: 'running-after-disable',
    hook: 'POST /serverless/disable/{id} (serverless feature)',
    scope: 'label',
    description: 'Disabling serverless stops the instance instead of leaving it running.',
  },
  {
    name: 'auto-pause-never-fires',
    scenario: 21,
    check: 'auto-paused',
    hook: 'serverless auto-pause monitor (serverless feature)',
    scope: 'label',
    description:
      'Without a GPU utilisation heartbeat the utilisation defaults to 100 %, so an idle instance is never paused.',
  },
  {
    name: 'pauses-under-gpu-load',
    scenario: 22,
    check: 'not-paused-under-load',
    hook: 'serverless auto-pause monitor (serverless feature)',
    scope: 'label',
    description:
      "The auto-pause ignores the instance's own GPU utilisation (what nvidia-smi reports) and pauses a busy instance.",
  },
  {
    name: 'grace-period-ignored',
    scenario: 23,
    check: 'grace-respected',
    hook: 'serverless auto-pause monitor (serverless feature)',
    scope: 'label',
    description: 'A freshly started or woken instance is paused before its 60 s grace period has elapsed.',
  },
  {
    name: 'savings-constant-rate',
    scenario: 24,
    check: 'savings-measured',
    hook: 'GET /instances/{id}/savings, GET /serverless/status/{id} (serverless feature)',
    scope: 'label',
    description: "Savings are computed from a constant $0.30 per paused hour instead of the instance's real price.",
  },
  {
    name: 'fast-wake-reports-before-ssh',
    scenario: 25,
    check: 'cold-start-measured',
    hook: 'POST /serverless/wake/{id} (serverless feature)',
    scope: 'label',
    description:
      'Waking a fast-mode instance answers resumed with a cold start of 0.5 s at once, before SSH is reachable.',
  },
  {
    name: 'wake-404-while-resuming',
    scenario: 26,
    check: 'wake-answered',
    hook: 'POST /serverless/wake/{id} (serverless feature)',
    scope: 'label',
    description:
      'Waking an economic-mode instance answers 404 "SSH not ready" while it resumes in the background, and it stays marked paused.',
  },
  {
    name: 'model-lost-on-wake',
    scenario: 27,
    check: 'model-kept',
    hook: 'POST /serverless/wake/{id} (serverless feature)',
    scope: 'label',
    description: "Wake wipes the instance's ~/.ollama directory, so the model pulled before the pause is missing.",
  },
] as const satisfies readonly DefectDeclaration[];
