// Courier / Chain: one chain as the node sees it — blocks (head, final, scanned) and how far behind it is, its
// RPC endpoints' traffic, errors and latency, reorgs and refused messages.
import { RPC_NOT_ERRORS, courierDashboard, labelVariable, quantiles, singleStat, timeSeries } from './common';

const chain = 'chain="$chain"';

const blockStat = (title: string, metric: string, description: string) => singleStat({
  title, description, unit: 'none', decimals: 0, width: 4, height: 5, sparkline: true,
  queries: [{ expr: `max(${metric}{${chain}})`, legend: title }],
  thresholds: { base: 'blue' },
});

export const chainDashboard = courierDashboard({
  uid: 'courier-chain',
  title: 'Courier / Chain',
  description: 'One chain: head, finalized and scanned blocks, lag, RPC requests, errors and latency, reorgs.',
  variables: [labelVariable('chain', 'courier_chain_head_block', { title: 'Chain' })],
  rows: [
    {
      title: 'Blocks',
      panels: [
        blockStat('Head block', 'courier_chain_head_block', 'Latest block number the watcher saw on $chain (courier_chain_head_block), set on every successful poll.'),
        blockStat('Finalized block', 'courier_chain_finalized_block', 'Highest block the node considers final on $chain under its finality policy (courier_chain_finalized_block). Transfers from blocks above it stay SENT.'),
        blockStat('Scanned block', 'courier_chain_scanned_block', 'Last block of $chain whose gateway logs are durably recorded (courier_chain_scanned_block).'),
        singleStat({
          title: 'Health',
          description: 'Healthy when $chain\'s RPC answers and its watcher runs (courier_chain_healthy; the lowest value any node reports).',
          unit: 'none', width: 4, height: 5,
          queries: [{ expr: `min(courier_chain_healthy{${chain}})`, legend: 'health' }],
          thresholds: { base: 'red', steps: [[1, 'green']] },
          valueText: { 0: { text: 'unhealthy', color: 'red' }, 1: { text: 'healthy', color: 'green' } },
        }),
        singleStat({
          title: 'Halted',
          description: 'Halted after a reorg deeper than the finality policy (courier_chain_halted): nothing from $chain is attested or delivered until an operator resumes it.',
          unit: 'none', width: 4, height: 5,
          queries: [{ expr: `max(courier_chain_halted{${chain}})`, legend: 'halted' }],
          thresholds: { base: 'green', steps: [[1, 'red']] },
          valueText: { 0: { text: 'running', color: 'green' }, 1: { text: 'halted', color: 'red' } },
        }),
        singleStat({
          title: 'Deep reorgs since start',
          description: 'Reorgs on $chain deeper than its finality policy since the node started (courier_deep_reorgs_total). Each one halts the chain; see RUNBOOK: CourierDeepReorg.',
          unit: 'none', decimals: 0, width: 4, height: 5,
          queries: [{ expr: `sum(courier_deep_reorgs_total{${chain}}) or vector(0)`, legend: 'deep reorgs' }],
          thresholds: { base: 'green', steps: [[1, 'red']] },
        }),
        timeSeries({
          title: 'Lag behind the head (blocks)',
          description: 'Blocks between the head and the last scanned block (the watcher\'s backlog) and between the head and the finalized block (the finality window, which follows the finality policy). A scan lag that grows means the watcher cannot keep up.',
          unit: 'none',
          min: 0,
          width: 12,
          queries: [
            { expr: `max(courier_chain_head_block{${chain}}) - max(courier_chain_scanned_block{${chain}})`, legend: 'head - scanned' },
            { expr: `max(courier_chain_head_block{${chain}}) - max(courier_chain_finalized_block{${chain}})`, legend: 'head - finalized' },
          ],
        }),
        timeSeries({
          title: 'Head age (seconds)',
          description: 'Seconds between now and the timestamp of the latest head (courier_chain_head_lag_seconds), per node. Well above the block time: the endpoints are behind or the watcher is stuck; CourierChainHeadStalled fires after 10 minutes without a new head.',
          unit: 's',
          min: 0,
          width: 12,
          queries: [{ expr: `courier_chain_head_lag_seconds{${chain}}`, legend: '{{instance}}' }],
        }),
      ],
    },
    {
      title: 'RPC',
      panels: [
        timeSeries({
          title: 'RPC requests by endpoint and outcome',
          description: 'JSON-RPC requests per second to $chain, by endpoint and outcome ("ok" or the error kind), over all nodes (courier_rpc_requests_total).',
          unit: 'reqps',
          min: 0,
          stack: true,
          width: 12,
          queries: [{ expr: `sum by (endpoint, outcome) (rate(courier_rpc_requests_total{${chain}}[$__rate_interval]))`, legend: '{{endpoint}} {{outcome}}' }],
        }),
        timeSeries({
          title: 'RPC errors by endpoint and outcome',
          description: 'Failed JSON-RPC requests per second (timeouts, rate limits, 5xx, bad answers), by endpoint and error kind. Answers that are not faults (reverted, nonce_too_low, already_known, underpriced, insufficient_funds, range_too_large) are left out, as in courier:rpc_error_ratio:rate5m.',
          unit: 'reqps',
          min: 0,
          stack: true,
          width: 12,
          queries: [{ expr: `sum by (endpoint, outcome) (rate(courier_rpc_requests_total{${chain}, outcome!~"${RPC_NOT_ERRORS}"}[$__rate_interval]))`, legend: '{{endpoint}} {{outcome}}' }],
        }),
        timeSeries({
          title: 'RPC error ratio by endpoint',
          description: 'Share of requests to each endpoint of $chain that failed, over 5 minutes (courier:rpc_error_ratio_by_endpoint:rate5m). One endpoint high: rotate it out; all high: the chain or the network. CourierRpcErrorRatioHigh fires above 10% across all endpoints.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          width: 8,
          queries: [{ expr: `courier:rpc_error_ratio_by_endpoint:rate5m{${chain}}`, legend: '{{endpoint}}' }],
          thresholds: { base: 'green', steps: [[0.1, 'red']] },
          thresholdLines: true,
        }),
        timeSeries({
          title: 'RPC latency p50 / p99 by endpoint',
          description: 'JSON-RPC request latency to each endpoint of $chain over all methods (courier_rpc_request_duration_seconds, by its endpoint label: scheme, host and port). One endpoint slower than the others: the pool sends it fewer calls (it scores endpoints by latency and errors), check the provider; all slow: the chain or the network.',
          unit: 's',
          min: 0,
          width: 8,
          queries: quantiles('courier_rpc_request_duration_seconds', chain, ['endpoint'], [0.5, 0.99]),
        }),
        timeSeries({
          title: 'RPC latency p99 by method',
          description: 'The slowest 1% of JSON-RPC requests to $chain, per method (courier_rpc_request_duration_seconds). eth_getLogs over a wide range is expected to be the slowest.',
          unit: 's',
          min: 0,
          width: 8,
          queries: quantiles('courier_rpc_request_duration_seconds', chain, ['method'], [0.99]),
        }),
      ],
    },
    {
      title: 'Reorgs and refused messages',
      panels: [
        timeSeries({
          title: 'Reorgs per hour by depth',
          description: 'Reorgs the watcher saw on $chain in the preceding hour, by depth in blocks (courier_reorgs_total). Shallow reorgs are normal on most chains; deep ones (beyond the finality policy) halt the chain.',
          unit: 'short',
          min: 0,
          stack: true,
          width: 12,
          queries: [{ expr: `sum by (depth) (increase(courier_reorgs_total{${chain}}[1h]))`, legend: 'depth {{depth}}' }],
        }),
        timeSeries({
          title: 'Refused messages per hour by reason',
          description: 'MessageSent-shaped logs on $chain refused in the preceding hour, by reason (courier_messages_rejected_total): wrong emitter, id mismatch, malformed, unknown destination. They are never relayed.',
          unit: 'short',
          min: 0,
          stack: true,
          width: 12,
          queries: [{ expr: `sum by (reason) (increase(courier_messages_rejected_total{${chain}}[1h]))`, legend: '{{reason}}' }],
        }),
      ],
    },
    {
      title: 'Quorum reads (ADR 007)',
      panels: [
        timeSeries({
          title: 'Transfers waiting for the endpoints to vouch, per hour',
          description: 'Transfers final by height on $chain that fewer than its quorum of RPC endpoints vouched for, counted once per watcher cycle (courier_quorum_unconfirmed_total), and those some endpoint contradicted (courier_quorum_disputes_total). They wait, the chain does not halt; /v1/chains says which and what each endpoint answered. Disputes: RUNBOOK CourierRpcEndpointsDisagree.',
          unit: 'short',
          min: 0,
          width: 12,
          queries: [
            { expr: `sum(increase(courier_quorum_unconfirmed_total{${chain}}[1h]))`, legend: 'waiting (cycles)' },
            { expr: `sum(increase(courier_quorum_disputes_total{${chain}}[1h]))`, legend: 'disputed' },
          ],
        }),
        timeSeries({
          title: 'Signatures withheld per hour',
          description: 'Transfers from $chain the attester did not sign because its re-read of the source through the endpoints did not confirm them just before signing (courier_attestations_withheld_total). Anything above zero with no disputes above: an endpoint answering differently to the watcher and the attester.',
          unit: 'short',
          min: 0,
          width: 12,
          queries: [{ expr: `sum(increase(courier_attestations_withheld_total{${chain}}[1h]))`, legend: 'withheld' }],
        }),
      ],
    },
  ],
});
