// Courier / Route: one route (source chain id -> destination chain id) — delivery latency against its SLA, where
// the time goes stage by stage, the open transfers by age and state, and the transfers held UNDERPAID until their
// senders top them up.
import { courierDashboard, labelVariable, quantiles, singleStat, timeSeries } from './common';

const route = 'route="$route"';
const topUps = `${route}, stage="payment.wait"`;

const stagePercentile = (q: number) => timeSeries({
  title: `Stage duration p${Math.round(q * 100)} by stage`,
  description: `Time each transfer on $route took to reach a stage from the previous one, ${Math.round(q * 100)}th percentile per stage (courier_transfer_stage_duration_seconds). The stage whose line rises is where transfers wait.`,
  unit: 's',
  min: 0,
  queries: quantiles('courier_transfer_stage_duration_seconds', route, ['stage'], [q]),
});

export const routeDashboard = courierDashboard({
  uid: 'courier-route',
  title: 'Courier / Route',
  description: 'One route: delivery latency against its SLA, stage durations, open transfers by age and state, stuck transfers, UNDERPAID transfers and their top-ups.',
  variables: [labelVariable('route', 'courier_transfers', { title: 'Route' })],
  rows: [
    {
      title: 'Delivery',
      panels: [
        singleStat({
          title: 'Deliveries within 60 s, last day',
          description: 'Share of the route\'s deliveries in the last 24 hours within the 60 s SLA (1 - courier:delivery_slo_error_ratio:rate1d). The objective is 99%.',
          unit: 'percentunit', decimals: 2, width: 6, height: 5,
          queries: [{ expr: `1 - courier:delivery_slo_error_ratio:rate1d{${route}}`, legend: 'within SLA' }],
          thresholds: { base: 'red', steps: [[0.99, 'green']] },
        }),
        singleStat({
          title: 'Delivered per minute',
          description: 'Transfers on the route reaching DELIVERED per minute, over 5 minutes and all nodes (courier:transfers_completed:rate5m).',
          unit: 'suffix:/min', decimals: 1, width: 6, height: 5, sparkline: true,
          queries: [{ expr: `sum(courier:transfers_completed:rate5m{${route}, state="DELIVERED"}) * 60`, legend: 'delivered' }],
          thresholds: { base: 'blue' },
        }),
        singleStat({
          title: 'Open transfers',
          description: 'Non-terminal transfers on the route, as of the destination\'s last sweep (courier_transfers).',
          unit: 'short', width: 6, height: 5, sparkline: true,
          queries: [{ expr: `sum(max by (state) (courier_transfers{${route}}))`, legend: 'open' }],
          thresholds: { base: 'blue' },
        }),
        singleStat({
          title: 'Stuck transfers',
          description: 'Open transfers on the route older than its SLA (courier_transfers_stuck), as of the stuck monitor\'s last walk. Listed at GET /v1/transfers?stuck=true.',
          unit: 'short', width: 6, height: 5,
          queries: [{ expr: `sum(max by (state) (courier_transfers_stuck{${route}}))`, legend: 'stuck' }],
          thresholds: { base: 'green', steps: [[1, 'red']] },
        }),
        timeSeries({
          title: 'Delivery latency p50 / p90 / p99',
          description: 'Time from the source MessageSent (SENT) to DELIVERED on the route (courier_delivery_duration_seconds). The dashed line is the 60 s SLA; the histogram\'s buckets (1 … 7200 s) bound the precision.',
          unit: 's',
          min: 0,
          width: 12,
          queries: quantiles('courier_delivery_duration_seconds', route, [], [0.5, 0.9, 0.99]),
          thresholds: { base: 'green', steps: [[60, 'red']] },
          thresholdLines: true,
        }),
        timeSeries({
          title: 'Completed per minute by state',
          description: 'Transfers on the route reaching DELIVERED, FAILED or REORGED per minute, over all nodes (courier:transfers_completed:rate5m). FAILED ones stay so until an operator retries them (RUNBOOK: CourierDeliveryFailed).',
          unit: 'suffix:/min',
          min: 0,
          stack: true,
          width: 12,
          queries: [{ expr: `sum by (state) (courier:transfers_completed:rate5m{${route}}) * 60`, legend: '{{state}}' }],
        }),
      ],
    },
    {
      title: 'Stages',
      panels: [stagePercentile(0.5), stagePercentile(0.9), stagePercentile(0.99)],
    },
    {
      title: 'Open and stuck transfers',
      panels: [
        timeSeries({
          title: 'Open transfers by age',
          description: 'Open transfers on the route by age bucket (lt_1h, 1h_6h, 6h_24h, 1d_7d, gt_7d), as of the stuck monitor\'s last walk (courier_transfers_open_by_age). Anything beyond the first bucket is waiting unusually long.',
          unit: 'short',
          min: 0,
          stack: true,
          queries: [{ expr: `max by (age) (courier_transfers_open_by_age{${route}})`, legend: '{{age}}' }],
        }),
        timeSeries({
          title: 'Open transfers by state',
          description: 'Non-terminal transfers on the route by state, as of the destination\'s last sweep of its work index (courier_transfers).',
          unit: 'short',
          min: 0,
          stack: true,
          queries: [{ expr: `max by (state) (courier_transfers{${route}})`, legend: '{{state}}' }],
        }),
        timeSeries({
          title: 'Stuck transfers by state',
          description: 'Open transfers on the route older than its SLA, by the state they are stuck in (courier_transfers_stuck). FAILED waits for an operator\'s retry; any other state is the relayer\'s. UNDERPAID is never stuck: see the Payment row.',
          unit: 'short',
          min: 0,
          stack: true,
          queries: [{ expr: `max by (state) (courier_transfers_stuck{${route}})`, legend: '{{state}}' }],
        }),
      ],
    },
    {
      title: 'Payment',
      panels: [
        timeSeries({
          title: 'UNDERPAID transfers (waiting for a top-up)',
          description: 'Transfers on the route held as UNDERPAID, as of the stuck monitor\'s last walk (courier_transfers_underpaid; the highest value any node reports): their senders paid less than the quote at finality and must top up with payForGas. They wait for their users, not for Courier, and are never counted as stuck. At the dashed line (10) for an hour CourierUnderpaidPilingUp fires: look at GET /v1/transfers/<id> payment.paid and tell the dApp to pay its quote.',
          unit: 'short',
          min: 0,
          queries: [{ expr: `max(courier_transfers_underpaid{${route}})`, legend: 'UNDERPAID' }],
          thresholds: { base: 'green', steps: [[10, 'orange']] },
          thresholdLines: true,
        }),
        timeSeries({
          title: 'Top-ups per hour',
          description: 'UNDERPAID transfers on the route whose top-up covered their charge in the preceding hour, moving them on to delivery (courier_transfer_stage_duration_seconds_count of stage payment.wait, over all nodes). UNDERPAID piling up with no top-ups: the senders are not paying at all.',
          unit: 'short',
          min: 0,
          queries: [{ expr: `sum(increase(courier_transfer_stage_duration_seconds_count{${topUps}}[1h]))`, legend: 'topped up' }],
        }),
        timeSeries({
          title: 'Wait for a top-up p50 / p90',
          description: 'How long topped-up transfers on the route waited as UNDERPAID, from the verdict to the final top-up (stage payment.wait of courier_transfer_stage_duration_seconds), over the preceding hour. The histogram ends at 3600 s, so longer waits read as 3600. Long waits are the senders\' delay, not Courier\'s: the rest of the delivery is in the Stages row.',
          unit: 's',
          min: 0,
          queries: [0.5, 0.9].map((q) => ({
            expr: `histogram_quantile(${q}, sum by (le) (increase(courier_transfer_stage_duration_seconds_bucket{${topUps}}[1h])))`,
            legend: `p${Math.round(q * 100)}`,
          })),
        }),
      ],
    },
  ],
});
