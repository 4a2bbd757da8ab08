// Courier / Overview: is the relayer meeting its delivery SLO, how much flows, what is waiting or stuck, and are
// the chains it watches healthy. Per-route and per-chain detail is one click away (the `courier` dashboard links).
import { courierDashboard, instantTable, labelVariable, singleStat, timeSeries } from './common';

const route = 'route=~"$route"';

export const overview = courierDashboard({
  uid: 'courier-overview',
  title: 'Courier / Overview',
  description: 'Delivery SLO, throughput, backlog, stuck transfers and chain health across all routes and chains.',
  variables: [labelVariable('route', 'courier_transfers', { title: 'Route', multi: true })],
  rows: [
    {
      title: 'Delivery SLO: 99% of deliveries within 60 s of MessageSent',
      panels: [
        singleStat({
          title: 'Deliveries within 60 s, last day',
          description: 'Share of deliveries per route in the last 24 hours that took at most 60 s from the source MessageSent (1 - courier:delivery_slo_error_ratio:rate1d). The objective is 99%; below it the route is missing its SLO. No value: no deliveries on the route in the window.',
          unit: 'percentunit',
          decimals: 2,
          queries: [{ expr: `1 - courier:delivery_slo_error_ratio:rate1d{${route}}`, legend: '{{route}}' }],
          thresholds: { base: 'red', steps: [[0.99, 'green']] },
        }),
        timeSeries({
          title: 'Deliveries within 60 s (1 h window)',
          description: 'Share of deliveries within the 60 s SLA, per route, over a sliding hour (1 - courier:delivery_slo_error_ratio:rate1h). The dashed line is the 99% objective.',
          unit: 'percentunit',
          max: 1,
          queries: [{ expr: `1 - courier:delivery_slo_error_ratio:rate1h{${route}}`, legend: '{{route}}' }],
          thresholds: { base: 'red', steps: [[0.99, 'green']] },
          thresholdLines: true,
        }),
        timeSeries({
          title: 'Error-budget burn rate (1 h)',
          description: 'How fast each route spends its 30-day error budget of 1% slow deliveries: the 1 h slow-delivery ratio divided by 0.01. 1 spends the budget in exactly 30 days; CourierDeliveryLatencyBudgetBurnFast pages above 14.4 (with the 5 m window) or 6 (6 h with 30 m).',
          unit: 'none',
          min: 0,
          queries: [{ expr: `courier:delivery_slo_error_ratio:rate1h{${route}} / 0.01`, legend: '{{route}}' }],
          thresholds: { base: 'green', steps: [[1, 'yellow'], [6, 'orange'], [14.4, 'red']] },
          thresholdLines: true,
        }),
      ],
    },
    {
      title: 'Throughput and backlog',
      panels: [
        timeSeries({
          title: 'Completed transfers per minute by state',
          description: 'Transfers reaching DELIVERED, FAILED or REORGED per minute, summed over the selected routes and all nodes (courier:transfers_completed:rate5m, a 5 m rate). Each node counts the transfers it completed.',
          unit: 'suffix:/min',
          min: 0,
          stack: true,
          queries: [{ expr: `sum by (state) (courier:transfers_completed:rate5m{${route}}) * 60`, legend: '{{state}}' }],
        }),
        timeSeries({
          title: 'Open transfers by state (backlog)',
          description: 'Non-terminal transfers by state on the selected routes, as of each destination\'s last sweep of its work index (courier_transfers; the highest value any node reports). A growing backlog in one state points at the stage that is slow.',
          unit: 'short',
          min: 0,
          stack: true,
          queries: [{ expr: `sum by (state) (max by (state, route) (courier_transfers{${route}}))`, legend: '{{state}}' }],
        }),
        timeSeries({
          title: 'Delivery latency p50 / p99 by route',
          description: 'SENT to DELIVERED latency per route over 5 minutes (courier:delivery_latency_seconds:p50_5m and p99_5m, from the courier_delivery_duration_seconds histogram). The dashed line is the 60 s SLA.',
          unit: 's',
          min: 0,
          queries: [
            { expr: `courier:delivery_latency_seconds:p50_5m{${route}}`, legend: 'p50 {{route}}' },
            { expr: `courier:delivery_latency_seconds:p99_5m{${route}}`, legend: 'p99 {{route}}' },
          ],
          thresholds: { base: 'green', steps: [[60, 'red']] },
          thresholdLines: true,
        }),
      ],
    },
    {
      title: 'Stuck transfers',
      panels: [
        singleStat({
          title: 'Stuck transfers now',
          description: 'Open transfers older than their route\'s SLA on the selected routes, as of the stuck monitor\'s last walk (courier_transfers_stuck). Listed at GET /v1/transfers?stuck=true. UNDERPAID transfers are never stuck: see the Payment row.',
          unit: 'short',
          width: 4,
          queries: [{ expr: `sum(max by (route, state) (courier_transfers_stuck{${route}}))`, legend: 'stuck' }],
          thresholds: { base: 'green', steps: [[1, 'red']] },
        }),
        timeSeries({
          title: 'Stuck transfers by route and state',
          description: 'Open transfers past their route\'s SLA, per route and state (courier_transfers_stuck; the highest value any node reports). CourierTransfersStuck fires when one other than UNDERPAID or FAILED stays above 0 for 5 minutes.',
          unit: 'short',
          min: 0,
          stack: true,
          width: 10,
          queries: [{ expr: `max by (route, state) (courier_transfers_stuck{${route}})`, legend: '{{route}} {{state}}' }],
        }),
        instantTable({
          title: 'Stuck now, by route and state',
          description: 'The routes and states with stuck transfers at the end of the time range (courier_transfers_stuck above 0). Empty when nothing is stuck.',
          unit: 'short',
          width: 10,
          valueColumn: 'stuck',
          queries: [{ expr: `max by (route, state) (courier_transfers_stuck{${route}}) > 0` }],
        }),
      ],
    },
    {
      title: 'Payment',
      panels: [
        singleStat({
          title: 'UNDERPAID now',
          description: 'Transfers held as UNDERPAID on the selected routes, as of the stuck monitor\'s last walk (courier_transfers_underpaid): their senders paid less than the quote and must top up. They wait for their users, not for Courier.',
          unit: 'short',
          width: 4,
          queries: [{ expr: `sum(max by (route) (courier_transfers_underpaid{${route}}))`, legend: 'UNDERPAID' }],
          thresholds: { base: 'green', steps: [[1, 'blue'], [10, 'orange']] },
        }),
        timeSeries({
          title: 'UNDERPAID transfers by route',
          description: 'Transfers held as UNDERPAID per route (courier_transfers_underpaid; the highest value any node reports). One route above the dashed line (10) for an hour fires CourierUnderpaidPilingUp: a dApp that does not pay its quote, the users\' side. Three routes or more at once fire CourierUnderpaidOnManyRoutes: suspect Courier\'s pricing (the Oracle dashboard).',
          unit: 'short',
          min: 0,
          width: 20,
          queries: [{ expr: `max by (route) (courier_transfers_underpaid{${route}})`, legend: '{{route}}' }],
          thresholds: { base: 'green', steps: [[10, 'orange']] },
          thresholdLines: true,
        }),
      ],
    },
    {
      title: 'Chains and node',
      panels: [
        singleStat({
          title: 'Chain health',
          description: 'Per chain: healthy when its RPC answers and its watcher runs (courier_chain_healthy; the lowest value any node reports). Details on the Courier / Chain dashboard.',
          unit: 'none',
          width: 6,
          queries: [{ expr: 'min by (chain) (courier_chain_healthy)', legend: '{{chain}}' }],
          thresholds: { base: 'red', steps: [[1, 'green']] },
          valueText: { 0: { text: 'unhealthy', color: 'red' }, 1: { text: 'healthy', color: 'green' } },
        }),
        singleStat({
          title: 'Halted chains',
          description: 'Per chain: halted after a reorg deeper than its finality policy (courier_chain_halted). Nothing from a halted chain is attested or delivered until an operator resumes it (RUNBOOK: CourierChainHalted).',
          unit: 'none',
          width: 6,
          queries: [{ expr: 'max by (chain) (courier_chain_halted)', legend: '{{chain}}' }],
          thresholds: { base: 'green', steps: [[1, 'red']] },
          valueText: { 0: { text: 'running', color: 'green' }, 1: { text: 'halted', color: 'red' } },
        }),
        timeSeries({
          title: 'Head age by chain',
          description: 'Seconds since the timestamp of the latest head each chain\'s watcher saw (courier_chain_head_lag_seconds; the highest value any node reports). Well above the chain\'s block time: its endpoints are behind or the watcher is stuck.',
          unit: 's',
          min: 0,
          width: 6,
          queries: [{ expr: 'max by (chain) (courier_chain_head_lag_seconds)', legend: '{{chain}}' }],
        }),
        timeSeries({
          title: 'Status API requests by code',
          description: 'Requests the status API answered per second, by HTTP status code, over all nodes (courier_api_requests_total).',
          unit: 'reqps',
          min: 0,
          stack: true,
          width: 6,
          queries: [{ expr: 'sum by (code) (rate(courier_api_requests_total[$__rate_interval]))', legend: '{{code}}' }],
        }),
      ],
    },
  ],
});
