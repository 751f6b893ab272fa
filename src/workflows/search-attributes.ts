import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attributes our workflows set; the stack registers them on the dev server (`--search-attribute`). */
export const E2E_SUITE_ID = defineSearchAttributeKey('E2ESuiteId', SearchAttributeType.KEYWORD);
export const E2E_SCENARIO = defineSearchAttributeKey('E2EScenario', SearchAttributeType.KEYWORD);
export const E2E_CATEGORY = defineSearchAttributeKey('E2ECategory', SearchAttributeType.KEYWORD);
export const E2E_TARGET = defineSearchAttributeKey('E2ETarget', SearchAttributeType.KEYWORD);
export const E2E_OUTCOME = defineSearchAttributeKey('E2EOutcome', SearchAttributeType.KEYWORD);

/** All keys, for registration (`temporal server start-dev --search-attribute NAME=Keyword`). */
export const SEARCH_ATTRIBUTE_KEYS = [E2E_SUITE_ID, E2E_SCENARIO, E2E_CATEGORY, E2E_TARGET, E2E_OUTCOME];

/** Task queue of the workflows; activities run on `${TASK_QUEUE}@${target}` so one worker serves one target. */
export const TASK_QUEUE = 'dumont-e2e';
export function activityTaskQueue(target: string, workflowTaskQueue: string = TASK_QUEUE): string {
  return `${workflowTaskQueue}@${target}`;
}
