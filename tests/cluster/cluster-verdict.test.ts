import { describe, expect, it } from 'vitest';
import {
  clusterVerdict,
  tasksStartedAfter,
  workerShares,
  type ClusterFacts,
  type IdentityEvent,
} from '../../scripts/cluster/verdict';

const wft = (identity: string): IdentityEvent => ({ workflowTaskStartedEventAttributes: { identity } });
const act = (identity: string): IdentityEvent => ({ activityTaskStartedEventAttributes: { identity } });

const names = new Map([
  ['101@h', 'worker-1'],
  ['102@h', 'worker-2'],
  ['202@h', 'worker-2'], // worker-2 after its restart: a new pid, the same name
  ['103@h', 'worker-3'],
]);
const nameOf = (identity: string): string => names.get(identity) ?? identity;

function passingFacts(): ClusterFacts {
  const histories = new Map<string, IdentityEvent[]>([
    ['suite', [wft('101@h'), act('103@h'), {}]],
    ['s1', [wft('102@h'), act('102@h'), act('202@h')]],
    ['s2', [wft('103@h'), act('101@h')]],
  ]);
  return {
    selected: [1, 2, 3],
    results: [1, 2, 3].map((id) => ({ id, status: 'passed' })),
    stillRunning: 0,
    reportedLeaks: 0,
    simAlive: 0,
    workers: ['worker-1', 'worker-2', 'worker-3'],
    shares: workerShares(histories, nameOf),
    disruptions: [
      { what: 'worker SIGKILL', done: 1, total: 3, atMs: 1_000 },
      { what: 'server restart', done: 2, total: 3, atMs: 2_000 },
    ],
    requiredDisruptions: ['worker SIGKILL', 'server restart'],
    runExit: 0,
    tasksAfterRestart: 5,
  };
}

describe('workerShares', () => {
  it('counts started workflow and activity tasks per worker name across histories', () => {
    const shares = passingFacts().shares;
    expect(shares.get('worker-1')).toMatchObject({ workflowTasks: 1, activityTasks: 1 });
    expect(shares.get('worker-2')).toMatchObject({ workflowTasks: 1, activityTasks: 2 });
    expect([...shares.get('worker-2')!.workflows]).toEqual(['s1']);
    expect([...shares.get('worker-3')!.workflows].sort()).toEqual(['s2', 'suite']);
  });

  it('keeps an identity it cannot name as it is', () => {
    const shares = workerShares(new Map([['w', [act('999@elsewhere')]]]), nameOf);
    expect([...shares.keys()]).toEqual(['999@elsewhere']);
  });
});

describe('tasksStartedAfter', () => {
  it('counts started tasks written after the moment, whatever shape the seconds arrive in', () => {
    const at = (seconds: number | { toString(): string }, e: IdentityEvent): IdentityEvent => ({
      ...e,
      eventTime: { seconds, nanos: 500_000_000 },
    });
    const h = new Map<string, IdentityEvent[]>([
      ['a', [at(10, wft('101@h')), at(20, act('102@h')), at(30, {})]],
      ['b', [at({ toString: () => '40' }, act('103@h'))]],
    ]);
    expect(tasksStartedAfter(h, 15_000)).toBe(2);
    expect(tasksStartedAfter(h, 0)).toBe(3);
    expect(tasksStartedAfter(h, 41_000)).toBe(0);
  });
});

describe('clusterVerdict', () => {
  it('passes when nothing is lost or leaked, all passed, every worker worked, disruptions landed mid-run', () => {
    expect(clusterVerdict(passingFacts())).toEqual({ lost: 0, leaked: 0, passed: 3, failed: 0, problems: [] });
  });

  const broken: [string, (f: ClusterFacts) => void, RegExp][] = [
    [
      'a scenario without a result',
      (f) => void (f.results = f.results.slice(1)),
      /1 scenario\(s\) without a terminal result: 1/,
    ],
    ['a workflow still running', (f) => void (f.stillRunning = 2), /2 workflow\(s\) of the suite still running/],
    ['a leak the suite reported', (f) => void (f.reportedLeaks = 1), /reported 1 leaked/],
    ['an instance the simulator still holds', (f) => void (f.simAlive = 1), /simulator still holds 1/],
    ['a failed scenario', (f) => void (f.results[0]!.status = 'failed'), /1 scenario\(s\) did not pass/],
    ['a worker that never worked', (f) => void f.shares.delete('worker-3'), /worker-3 started no task/],
    [
      'a disruption that never happened',
      (f) => void (f.disruptions = f.disruptions.slice(0, 1)),
      /server restart: never happened/,
    ],
    [
      'a disruption after the end',
      (f) => void (f.disruptions[0]!.done = 3),
      /worker SIGKILL: happened after every scenario had finished \(3\/3\)/,
    ],
    [
      'a restarted server that served nothing',
      (f) => void (f.tasksAfterRestart = 0),
      /no workflow or activity task started after the server restart/,
    ],
    ['a run CLI that did not exit 0', (f) => void (f.runExit = 1), /dumont-e2e run exited 1/],
  ];
  for (const [what, breakIt, problem] of broken) {
    it(`fails on ${what}`, () => {
      const facts = passingFacts();
      breakIt(facts);
      const v = clusterVerdict(facts);
      expect(v.problems.join('\n')).toMatch(problem);
      expect(v.problems).toHaveLength(1);
    });
  }

  it('counts lost and leaked', () => {
    const f = passingFacts();
    f.results = [];
    f.stillRunning = 1;
    f.simAlive = 2;
    f.reportedLeaks = 1;
    expect(clusterVerdict(f)).toMatchObject({ lost: 4, leaked: 2 });
  });
});
