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
      'Creating on an expired offer fails cleanly, an automatic retry on a fresh offer succeeds, and no instance leaks.',
    defect: {
      name: 'failed-create-leaks-instance',
      description: 'A create that answers an error still rents an instance, which leaks.',
    },
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
    verifies: 'A host that fails is blacklisted and its offers no longer appear in the search.',
    defect: { name: 'blacklist-not-applied', description: 'A blacklisted host still appears in the offer search.' },
  },
  {
    id: 98,
    slug: 'recover-disk-full',
    titlePt: 'Recuperar de disk full',
    descriptionPt: 'Encher disco, limpar, recuperar',
    title: 'Recover from a full disk',
    weight: 5,
    deadlineMinutes: 30,
    verifies: 'An instance whose disk was filled works normally again once the disk is cleaned.',
    defect: {
      name: 'disk-full-bricks-instance',
      description: 'Once the disk fills, the instance does not recover after cleanup.',
    },
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
    verifies: 'A create stuck on a slow offer is timed out by the client and the stuck instance is destroyed.',
    defect: {
      name: 'stuck-create-not-cancellable',
      description: 'An instance stuck in loading ignores destroy, so a timed-out create leaks.',
    },
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
    defect: {
      name: 'concurrent-creates-conflict',
      description: 'Simultaneous creates collide and return the same instance.',
    },
  },
]);
