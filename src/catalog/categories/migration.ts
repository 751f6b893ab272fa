import { defineCategory } from '../define-category';

/** Category 9: migration and optimisation. */
export const MIGRATION_SCENARIOS = defineCategory('migration', [
  {
    id: 91,
    slug: 'migrate-to-cheaper-gpu',
    titlePt: 'Migrar para GPU mais barata',
    descriptionPt: 'Detectar oferta melhor, migrar',
    title: 'Migrate to a cheaper GPU',
    slow: true,
    weight: 5,
    deadlineMinutes: 40,
    verifies: 'A cheaper offer is detected and the instance migrates onto it with its data.',
    defect: {
      name: 'migration-picks-pricier-offer',
      description: 'Migration picks an offer more expensive than the source instance.',
    },
  },
  {
    id: 92,
    slug: 'migrate-to-other-region',
    titlePt: 'Migrar para região diferente',
    descriptionPt: 'US -> EU com dados',
    title: 'Migrate to another region',
    slow: true,
    weight: 5.5,
    deadlineMinutes: 45,
    verifies: 'An instance in the US migrates to the EU with all its data.',
    defect: {
      name: 'migration-drops-data',
      description: 'Migration recreates the instance without restoring its data.',
    },
  },
  {
    id: 93,
    slug: 'migrate-preserving-ip',
    titlePt: 'Migrar preservando IP',
    descriptionPt: 'Migrar mantendo mesmo SSH host',
    title: 'Migrate preserving the IP',
    slow: true,
    weight: 4.5,
    deadlineMinutes: 40,
    verifies: 'After a migration the instance is reachable at the same SSH host as before.',
    defect: {
      name: 'migration-changes-ssh-host',
      description: 'Migration changes the SSH host although it was asked to keep it.',
    },
  },
  {
    id: 94,
    slug: 'migration-estimate',
    titlePt: 'Estimativa de migração',
    descriptionPt: 'Calcular tempo/custo antes',
    title: 'Migration estimate',
    weight: 2,
    deadlineMinutes: 20,
    verifies: 'The migration estimate gives a time and a cost consistent with the target offer before anything moves.',
    defect: {
      name: 'migration-estimate-inconsistent',
      description: "The migration estimate's cost disagrees with the offer it names.",
    },
  },
  {
    id: 95,
    slug: 'migrate-with-loaded-model',
    titlePt: 'Migração com modelo carregado',
    descriptionPt: 'Ollama rodando, migrar sem perder',
    title: 'Migrate with a loaded model',
    slow: true,
    weight: 7,
    deadlineMinutes: 45,
    verifies: 'An instance serving an Ollama model migrates and the model still answers afterwards.',
    defect: {
      name: 'migration-model-not-served',
      description: 'After a migration the data is restored but the model server is not restarted.',
    },
  },
]);
