import { defineCategory } from '../define-category';

/** Category 10: errors and edge cases. */
export const EDGE_SCENARIOS = defineCategory('edge', [
  {
    id: 96,
    slug: 'retry-expired-offer',
    titlePt: 'Retry após oferta expirada',
    descriptionPt: 'Tentar oferta antiga, retry automático',
    title: 'Retry after an expired offer',
    weight: 4,
    deadlineMinutes: 25,
    verifies:
      'An offer that left the market between search and create is refused cleanly (Dumont\'s 500 "Oferta N indisponível"), no instance leaks, and the retry rents the next offer.',
    defect: 'failed-create-leaks-instance',
    workflowType: 'retryExpiredOfferScenario',
  },
  {
    id: 97,
    slug: 'host-blacklist',
    titlePt: 'Blacklist de host problemático',
    descriptionPt: 'Falhar em host, verificar blacklist',
    title: 'Blacklist a problematic host',
    slow: true,
    weight: 5,
    deadlineMinutes: 35,
    verifies:
      'A host whose create fails is blacklisted on Dumont, its offers leave the search while VAST still lists them, and return once it is removed.',
    defect: 'blacklist-not-applied',
    workflowType: 'hostBlacklistScenario',
  },
  {
    id: 98,
    slug: 'recover-disk-full',
    titlePt: 'Recuperar de disk full',
    descriptionPt: 'Encher disco, limpar, recuperar',
    title: 'Recover from a full disk',
    weight: 5,
    deadlineMinutes: 30,
    verifies:
      "Filling an instance's disk makes writes fail and df show it full; once cleaned, the space is back and the instance writes again.",
    defect: 'disk-full-bricks-instance',
    workflowType: 'recoverDiskFullScenario',
  },
  {
    id: 99,
    slug: 'create-timeout',
    titlePt: 'Timeout de criação',
    descriptionPt: 'Oferta lenta, verificar timeout handling',
    title: 'Creation timeout',
    slow: true,
    weight: 4,
    deadlineMinutes: 30,
    verifies:
      'A create on the least reliable (slow) host is abandoned when it is not running at the limit, the stuck instance is destroyed and gone from both lists, and a reliable host is rented instead.',
    defect: 'stuck-create-not-cancellable',
    workflowType: 'createTimeoutScenario',
  },
  {
    id: 100,
    slug: 'concurrent-creates',
    titlePt: 'Concurrent creates',
    descriptionPt: '3 creates simultâneos, sem conflito',
    title: 'Concurrent creates',
    weight: 7,
    deadlineMinutes: 30,
    verifies: 'Three simultaneous creates yield three distinct instances with no conflict, all destroyed afterwards.',
    defect: 'concurrent-creates-conflict',
    workflowType: 'concurrentCreatesScenario',
  },
]);
