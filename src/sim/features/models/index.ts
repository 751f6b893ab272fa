/**
 * Model deployment and serving on the Dumont face (docs/simulator.md § Models): a deployment rents an instance and
 * runs inside it, as real processes with real HTTP, one model server per replica (vLLM or transformers with the OpenAI
 * API, Whisper, Stable Diffusion, sentence transformers) behind a balancer on the endpoint port; the status follows
 * what the servers really do (downloading, loading, answering /health, or failing with their own error). Its defects
 * (`./defects.ts`) break one scenario check each (65–76).
 */
import { defineFeature } from '../types';
import { MODEL_DEFECTS } from './defects';
import { launch, teardown } from './model-engine';
import { MODEL_ROUTES } from './model-routes';
import { deploymentRow, newModelsState, type ModelsState } from './model-store';

export type { ModelsState } from './model-store';

/** The models feature module. */
export const models = defineFeature<ModelsState>({
  name: 'models',
  createState: () => newModelsState(),
  defects: MODEL_DEFECTS,
  routes: { dumont: MODEL_ROUTES },
  on: {
    boot: ({ instance: inst }, { world, state }) => {
      for (const dep of state.deployments.values()) {
        if (dep.instanceId !== inst.id || dep.closing || dep.status !== 'deploying') continue;
        launch(world, dep, inst).catch((err: Error) => {
          dep.status = 'error';
          dep.statusMessage = `Could not start the model server: ${err.message}`;
        });
      }
    },
    destroy: ({ instance: inst }, { world, state }) => {
      for (const dep of state.deployments.values()) {
        if (dep.instanceId !== inst.id || dep.closing) continue;
        teardown(world, dep, true);
        dep.status = 'error';
        dep.statusMessage = `Instance ${inst.id} was destroyed`;
      }
    },
  },
  // The admin view leaves the deployments' API keys out: `sim state` output ends up in logs.
  view: ({ world, state }) => ({
    deployments: [...state.deployments.values()].map((d) => ({
      ...deploymentRow(world, d),
      api_key: d.apiKey ? '***' : null,
    })),
  }),
  shutdown: ({ world, state }) => {
    for (const dep of state.deployments.values()) {
      dep.closing = true;
      if (dep.timer) world.clock.cancel(dep.timer);
      dep.timer = null;
    }
  },
});
