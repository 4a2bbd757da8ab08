// Courier / Oracle: the gas and price oracle — each asset's price by source, prices rejected and why, and healthy
// sources against the configured minimum — and the GasOracle updater that pushes those prices on chain: its updates
// by reason, how long ago it last pushed each destination's values to each chain, the destinations it has not pushed
// for longer than the heartbeat allows, and the gas it spends against its budget (prometheus/rules/oracle.yml).
import { WEI_PER_TOKEN, courierDashboard, instantTable, labelVariable, singleStat, timeSeries } from './common';

const asset = 'asset=~"$asset"';
// The updater's series: chain is the source chain whose GasOracle it writes, destination the chain whose values it
// writes there (both names, like every chain label); the gas counter has chain only (one transaction, many destinations).
const chain = 'chain=~"$chain"';
const pair = 'chain=~"$chain", destination=~"$destination"';

// When the updater last pushed each destination's values to each chain's GasOracle: the latest minute (of the last 3
// hours) in which its counter moved. A counter only says how many, not when; the subquery finds the when to within
// about 2 minutes.
const lastUpdate = `max by (chain, destination) (max_over_time(timestamp(sum by (chain, destination) (increase(courier_oracle_updates_total{${pair}}[2m])) > 0)[3h:1m]))`;

// The (chain, destination) pairs CourierOracleUpdaterSilent watches that had no update in its window: its expression.
const silentPairs = `sum by (chain, destination) (increase(courier_oracle_updates_total{${pair}}[75m])) == 0 and on (chain, destination) count by (chain, destination) (courier_oracle_updates_total{${pair}} offset 75m)`;

export const oracleDashboard = courierDashboard({
  uid: 'courier-oracle',
  title: 'Courier / Oracle',
  description: 'Gas and price oracle: price per asset and source, rejected prices by reason, healthy sources vs the minimum; the GasOracle updater: updates by reason, time since the last one per chain and destination, destinations overdue, gas spent vs budget.',
  variables: [
    labelVariable('asset', 'courier_oracle_sources', { title: 'Asset', multi: true }),
    labelVariable('chain', 'courier_oracle_updates_total', { title: 'Updater chain', multi: true }),
    labelVariable('destination', 'courier_oracle_updates_total', { title: 'Destination', multi: true }),
  ],
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
    {
      title: 'GasOracle updater: pushes',
      panels: [
        timeSeries({
          title: 'GasOracle updates per hour by chain and reason',
          description: 'Destination values the updater wrote to each source chain\'s GasOracle in the preceding hour, by reason, summed over the selected destinations (courier_oracle_updates_total; mined and successful only, one per destination pushed): heartbeat when nothing moved for courier.oracle.updater.heartbeat (1 h), deviation when a gas price or token ratio moved more than courier.oracle.updater.deviation. Mostly deviation and many: prices are noisy or the threshold is tight, and gas is spent for it (CourierOracleUpdaterOverGasBudget). Nothing on a chain: the updater stalled (CourierOracleUpdaterSilent, per destination).',
          unit: 'short',
          min: 0,
          stack: true,
          width: 8,
          queries: [{ expr: `sum by (chain, reason) (increase(courier_oracle_updates_total{${pair}}[1h]))`, legend: 'chain {{chain}} {{reason}}' }],
        }),
        timeSeries({
          title: 'Time since the last GasOracle update, by chain and destination',
          description: 'Seconds since the updater last wrote each destination\'s values to each chain\'s GasOracle (the latest minute in which courier_oracle_updates_total{chain,destination} moved, to within about 2 minutes; no value when there was none in the last 3 hours: see the table beside). A sawtooth up to the heartbeat (1 h) is healthy; above the dashed line (75 min) CourierOracleUpdaterSilent fires for that pair: Gateway.quoteFee on that chain quotes messages to that destination from old prices, see the runbook.',
          unit: 's',
          min: 0,
          width: 10,
          queries: [{ expr: `time() - ${lastUpdate}`, legend: 'chain {{chain}} -> {{destination}}' }],
          thresholds: { base: 'green', steps: [[3600, 'orange'], [4500, 'red']] },
          thresholdLines: true,
        }),
        instantTable({
          title: 'Destinations not updated for 75 minutes',
          description: 'The (chain, destination) pairs with no update in the last 75 minutes at the end of the time range (courier_oracle_updates_total{chain,destination} flat; the expression of CourierOracleUpdaterSilent, which fires once a pair stays here 5 minutes), including pairs never updated at all, which the graph beside cannot show. Pairs declared less than 75 minutes ago (a start, a new chain) are left out: they have not had to push yet. Empty when every destination is fresh.',
          unit: 'short',
          width: 6,
          valueColumn: 'updates in 75 min',
          queries: [{ expr: silentPairs }],
        }),
      ],
    },
    {
      title: 'GasOracle updater: gas',
      panels: [
        timeSeries({
          title: 'Updater gas spent (native tokens per hour)',
          description: `Fees the updater paid on each chain, in native tokens per hour (courier_oracle_update_gas_spent_wei_total rate x 3600 / ${WEI_PER_TOKEN}), reverted updates included. Spend with no matching updates in the panel above: updates revert or are resent (see the updater's logs).`,
          unit: 'none',
          min: 0,
          width: 12,
          queries: [{ expr: `sum by (chain) (rate(courier_oracle_update_gas_spent_wei_total{${chain}}[$__rate_interval])) * 3600 / ${WEI_PER_TOKEN}`, legend: 'chain {{chain}}' }],
        }),
        timeSeries({
          title: 'Updater gas spent in 24 h vs budget',
          description: `What the updater spent on each chain in the last 24 hours (courier:oracle_update_gas_spent_wei:increase1d) and that chain's daily budget (courier:oracle_update_gas_budget_wei:1d, 0.1 native token unless overridden in rules/oracle.yml), in native tokens (wei / ${WEI_PER_TOKEN}). Spend above the budget for 10 minutes fires CourierOracleUpdaterOverGasBudget: find out why it pushes so often before raising the budget.`,
          unit: 'none',
          min: 0,
          width: 12,
          queries: [
            { expr: `courier:oracle_update_gas_spent_wei:increase1d{${chain}} / ${WEI_PER_TOKEN}`, legend: 'chain {{chain}} spent' },
            { expr: `courier:oracle_update_gas_budget_wei:1d{${chain}} / ${WEI_PER_TOKEN}`, legend: 'chain {{chain}} budget' },
          ],
        }),
      ],
    },
  ],
});
