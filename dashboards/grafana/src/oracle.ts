// Courier / Oracle: the gas and price oracle — each asset's price by source, prices rejected and why, and healthy
// sources against the configured minimum. Its metrics arrive with the oracle issue (prometheus/pending-metrics.txt).
import { courierDashboard, labelVariable, singleStat, timeSeries } from './common';

const asset = 'asset=~"$asset"';

export const oracleDashboard = courierDashboard({
  uid: 'courier-oracle',
  title: 'Courier / Oracle',
  description: 'Gas and price oracle: price per asset and source, rejected prices by reason, healthy sources vs the minimum.',
  variables: [labelVariable('asset', 'courier_oracle_sources', { title: 'Asset', multi: true })],
  rows: [
    {
      title: 'Sources',
      panels: [
        singleStat({
          title: 'Healthy sources above the minimum',
          description: 'Per asset: healthy price sources minus the configured minimum (courier_oracle_sources - courier_oracle_min_sources). Below 0 the asset\'s price rests on too few sources and CourierOracleSourcesBelowMinimum fires after 5 minutes.',
          unit: 'none', decimals: 0, width: 8,
          queries: [{ expr: `min by (asset) (courier_oracle_sources{${asset}}) - max by (asset) (courier_oracle_min_sources{${asset}})`, legend: '{{asset}}' }],
          thresholds: { base: 'red', steps: [[0, 'orange'], [1, 'green']] },
        }),
        timeSeries({
          title: 'Healthy sources vs minimum',
          description: 'Price sources currently healthy per asset (courier_oracle_sources) and the configured minimum (courier_oracle_min_sources).',
          unit: 'none',
          min: 0,
          decimals: 0,
          width: 16,
          queries: [
            { expr: `min by (asset) (courier_oracle_sources{${asset}})`, legend: '{{asset}} healthy' },
            { expr: `max by (asset) (courier_oracle_min_sources{${asset}})`, legend: '{{asset}} minimum' },
          ],
        }),
      ],
    },
    {
      title: 'Prices',
      panels: [
        timeSeries({
          title: 'Price by asset and source',
          description: 'Latest price each source reported for each asset, in the asset\'s quote unit (courier_oracle_price). A source far from the others is an outlier the oracle should reject.',
          unit: 'none',
          width: 12,
          queries: [{ expr: `max by (asset, source) (courier_oracle_price{${asset}})`, legend: '{{asset}} {{source}}' }],
        }),
        timeSeries({
          title: 'Rejected prices per hour by reason',
          description: 'Prices the oracle refused in the preceding hour, per asset and reason (courier_oracle_rejections_total): stale, outlier, unreachable source. Steady rejections from one source: replace it.',
          unit: 'short',
          min: 0,
          stack: true,
          width: 12,
          queries: [{ expr: `sum by (asset, reason) (increase(courier_oracle_rejections_total{${asset}}[1h]))`, legend: '{{asset}} {{reason}}' }],
        }),
      ],
    },
  ],
});
