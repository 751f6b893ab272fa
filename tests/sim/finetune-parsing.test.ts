/** Dataset validation (the simulator's upload route) and the harness's reading of training logs, as pure functions. */
import { describe, expect, it } from 'vitest';
import { summariseLogs } from '../../src/activities/finetune-logs';
import { validateDataset } from '../../src/sim/features/finetune/dataset-validate';

const rec = (o: unknown): string => JSON.stringify(o);

describe('validateDataset', () => {
  it('accepts each format with the fields it needs, in .jsonl and .json', () => {
    const alpaca = [rec({ instruction: 'a', input: '', output: 'b' }), '', rec({ instruction: 'c', output: 'd' })];
    expect(validateDataset('d.jsonl', Buffer.from(alpaca.join('\n')), 'alpaca')).toEqual({ records: 2 });
    const share = rec({ conversations: [{ from: 'human', value: 'hi' }] });
    expect(validateDataset('d.jsonl', Buffer.from(share), 'sharegpt')).toEqual({ records: 1 });
    expect(validateDataset('d.json', Buffer.from(`[${rec({ text: 'x' })}]`), 'raw')).toEqual({ records: 1 });
  });

  it('names the line of a malformed record and the field a record lacks', () => {
    const lines = [rec({ instruction: 'a', output: 'b' }), '{"instruction": }'];
    expect(validateDataset('d.jsonl', Buffer.from(lines.join('\n')), 'alpaca')).toMatchObject({ line: 2 });
    const missing = [
      rec({ instruction: 'a', output: 'b' }),
      rec({ instruction: 'a', output: 'b' }),
      rec({ instruction: 'x' }),
    ];
    expect(validateDataset('d.jsonl', Buffer.from(missing.join('\n')), 'alpaca')).toMatchObject({
      line: 3,
      field: 'output',
    });
    expect(validateDataset('d.jsonl', Buffer.from(rec({ conversations: [{ from: 'h' }] })), 'sharegpt')).toMatchObject({
      line: 1,
      field: 'conversations[0]',
    });
    expect(validateDataset('d.jsonl', Buffer.from('\n\n'), 'raw')).toMatchObject({ line: 1 });
  });
});

describe('summariseLogs', () => {
  it('reads the dataset, rank 0 progress, each rank and where each started', () => {
    const sha = 'ab'.repeat(32);
    const logs = [
      `dataset: 12 records sha256 ${sha}`,
      '[rank 0/2] started at step 50 on GPU 0',
      '[rank 1/2] started at step 50 on GPU 1',
      'step 51/100 loss 1.2345 lr 0.000200 epoch 0.51',
      '[rank 1/2] step 51/100',
      'checkpoint checkpoint-100 step 100 loss 0.9',
      'step 100/100 loss 0.9000 lr 0.000200 epoch 1.00',
      '[rank 1/2] done step 100',
      'done step 100 loss 0.9000',
    ].join('\n');
    expect(summariseLogs(logs)).toEqual({
      dataset: { records: 12, sha256: sha },
      steps: [
        { step: 51, loss: 1.2345 },
        { step: 100, loss: 0.9 },
      ],
      ranks: { '0': 100, '1': 100 },
      startSteps: { '0': 50, '1': 50 },
    });
    expect(summariseLogs('')).toEqual({ dataset: null, steps: [], ranks: {}, startSteps: {} });
  });
});
