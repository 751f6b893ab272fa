import { defineCategory } from '../define-category';

/** Category 8: market and prices. */
export const MARKET_SCENARIOS = defineCategory('market', [
  {
    id: 85,
    slug: 'offers-by-price',
    titlePt: 'Buscar ofertas por preço',
    descriptionPt: 'Filtrar < $0.20/hr',
    title: 'Search offers by price',
    noGpu: true,
    weight: 0,
    deadlineMinutes: 15,
    verifies:
      'Every offer returned for a maximum price of $0.20/h costs at most $0.20/h, and none cheaper that VAST lists was left out.',
    defect: 'price-filter-ignored',
    workflowType: 'offersByPriceScenario',
  },
  {
    id: 86,
    slug: 'region-price-comparison',
    titlePt: 'Comparar preços entre regiões',
    descriptionPt: 'US vs EU vs Asia',
    title: 'Compare prices across regions',
    noGpu: true,
    weight: 0,
    deadlineMinutes: 15,
    verifies:
      'Offer prices for US, EU and Asia each come from their own region (VAST is the witness) and are compared.',
    defect: 'region-offers-not-partitioned',
    workflowType: 'regionPriceComparisonScenario',
  },
  {
    id: 87,
    slug: 'price-prediction',
    titlePt: 'Previsão de preço',
    descriptionPt: 'ML prediction próximas 24h',
    title: 'Price prediction',
    noGpu: true,
    weight: 0,
    deadlineMinutes: 15,
    verifies:
      'The 24 h price prediction has 24 positive hours and a confidence, follows the recorded daily pattern, and its error against the prices then recorded is within 8 %.',
    defect: 'prediction-ignores-history',
    workflowType: 'pricePredictionScenario',
  },
  {
    id: 88,
    slug: 'host-reliability-ranking',
    titlePt: 'Ranking de reliability',
    descriptionPt: 'Top 10 hosts mais confiáveis',
    title: 'Host reliability ranking',
    noGpu: true,
    weight: 0,
    deadlineMinutes: 15,
    verifies:
      'The ten most reliable hosts are sorted by a reliability score that matches their recorded outcomes, and no better host is left out.',
    defect: 'reliability-ranking-unsorted',
    workflowType: 'hostReliabilityRankingScenario',
  },
  {
    id: 89,
    slug: 'spot-vs-on-demand',
    titlePt: 'Spot vs On-demand',
    descriptionPt: 'Criar ambos, comparar custo real',
    title: 'Spot versus on-demand',
    weight: 1,
    deadlineMinutes: 30,
    verifies:
      'A spot and an on-demand instance of the same GPU run the same work; each is billed at its own price (spot at its bid), and spot costs less.',
    defect: 'spot-billed-as-on-demand',
    workflowType: 'spotVsOnDemandScenario',
  },
  {
    id: 90,
    slug: 'realtime-price-stream',
    titlePt: 'Monitorar preço em tempo real',
    descriptionPt: 'WebSocket de preços',
    title: 'Real-time price monitoring',
    noGpu: true,
    weight: 0,
    deadlineMinutes: 15,
    verifies:
      'The live price WebSocket pushes each new market sample promptly, and every pushed price is the one the market recorded.',
    defect: 'price-stream-frozen',
    workflowType: 'realtimePriceStreamScenario',
  },
]);
