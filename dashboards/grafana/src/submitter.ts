// Courier / Submitter & gas: what delivering to one destination chain costs — the signer's balance and runway, gas
// used and paid, gas per delivered message, fee bumps and the outcome of each broadcast.
import { WEI_PER_TOKEN, courierDashboard, labelVariable, singleStat, timeSeries } from './common';

const chain = 'chain="$chain"';

// Delivered transfers per second into $chain. courier_transfers_completed_total is labelled by route
// ("<srcChainId>-><dstChainId>"), the gas counters by chain name: courier_chain_info{chain, chain_id} joins the two.
const deliveredRate = `sum(
    sum by (chain_id) (label_replace(rate(courier_transfers_completed_total{state="DELIVERED"}[$__rate_interval]), "chain_id", "$1", "route", ".*->(.+)"))
  * on (chain_id) group_left ()
    max by (chain_id) (courier_chain_info{${chain}})
)`;
const gasUsedRate = `sum(rate(courier_gas_used_total{${chain}}[$__rate_interval]))`;
const weiSpentRate = `sum(rate(courier_gas_spent_wei_total{${chain}}[$__rate_interval]))`;

export const submitterDashboard = courierDashboard({
  uid: 'courier-submitter',
  title: 'Courier / Submitter & gas',
  description: 'One destination chain: signer balance and runway, gas used and spent, gas per delivered message, fee bumps, submissions by outcome.',
  variables: [labelVariable('chain', 'courier_chain_head_block', { title: 'Chain' })],
  rows: [
    {
      title: 'Signer',
      panels: [
        singleStat({
          title: 'Signer balance',
          description: `Balance of the submitter's signer on $chain in native tokens (courier_signer_balance_wei / ${WEI_PER_TOKEN}). Red below 0.1, the default floor of courier:signer_balance_floor_wei (CourierSignerBalanceLow).`,
          unit: 'none', decimals: 4, width: 6, height: 6, sparkline: true,
          queries: [{ expr: `courier_signer_balance_wei{${chain}} / ${WEI_PER_TOKEN}`, legend: '{{instance}}' }],
          thresholds: { base: 'red', steps: [[0.1, 'green']] },
        }),
        singleStat({
          title: 'Signer runway at the 6 h burn',
          description: 'Hours until the signer on $chain is empty at the average spend of the last 6 hours (courier:signer_hours_left:rate6h). Orange under a day (CourierSignerFundsRunningOut); no value before the first spend, +Inf while nothing is spent.',
          unit: 'h', decimals: 1, width: 6, height: 6,
          queries: [{ expr: `min(courier:signer_hours_left:rate6h{${chain}})`, legend: 'runway' }],
          thresholds: { base: 'red', steps: [[6, 'orange'], [24, 'green']] },
        }),
        timeSeries({
          title: 'Signer balance vs floor',
          description: `The signer's balance on $chain and the floor under which it must be topped up (courier:signer_balance_floor_wei), in native tokens (wei / ${WEI_PER_TOKEN}).`,
          unit: 'none',
          min: 0,
          width: 12,
          height: 6,
          queries: [
            { expr: `courier_signer_balance_wei{${chain}} / ${WEI_PER_TOKEN}`, legend: 'balance {{instance}}' },
            { expr: `max(courier:signer_balance_floor_wei{${chain}}) / ${WEI_PER_TOKEN}`, legend: 'floor' },
          ],
        }),
      ],
    },
    {
      title: 'Gas',
      panels: [
        timeSeries({
          title: 'Gas used per second',
          description: 'Gas used by this deployment\'s destination transactions on $chain, per second, from confirmed receipts (courier_gas_used_total), over all nodes.',
          unit: 'short',
          min: 0,
          width: 6,
          queries: [{ expr: gasUsedRate, legend: 'gas/s' }],
        }),
        timeSeries({
          title: 'Gas spent (native tokens per hour)',
          description: `Fees paid for destination transactions on $chain, in native tokens per hour (courier_gas_spent_wei_total rate x 3600 / ${WEI_PER_TOKEN}), and the 6 h average the runway is computed from (courier:signer_burn_wei_per_hour:rate6h).`,
          unit: 'none',
          min: 0,
          width: 6,
          queries: [
            { expr: `${weiSpentRate} * 3600 / ${WEI_PER_TOKEN}`, legend: 'spent' },
            { expr: `sum(courier:signer_burn_wei_per_hour:rate6h{${chain}}) / ${WEI_PER_TOKEN}`, legend: '6 h average' },
          ],
        }),
        timeSeries({
          title: 'Gas per delivered message',
          description: 'Gas used on $chain divided by the transfers delivered to it over the same interval (courier_gas_used_total rate / courier_transfers_completed_total{state="DELIVERED"} rate; routes are matched to $chain by chain id through courier_chain_info). Includes the gas of failed and replaced transactions, so it is what a delivery really costs.',
          unit: 'short',
          min: 0,
          width: 6,
          queries: [{ expr: `${gasUsedRate}\n/\n${deliveredRate}`, legend: 'gas / delivery' }],
        }),
        timeSeries({
          title: 'Effective gas price (gwei)',
          description: 'Average price paid per unit of gas on $chain: wei spent / gas used over the interval, in gwei (courier_gas_spent_wei_total, courier_gas_used_total).',
          unit: 'none',
          min: 0,
          width: 6,
          queries: [{ expr: `${weiSpentRate} / ${gasUsedRate} / 1e9`, legend: 'gwei' }],
        }),
      ],
    },
    {
      title: 'Submissions and fee bumps',
      panels: [
        timeSeries({
          title: 'Submissions per minute by outcome',
          description: 'Destination transactions on $chain per minute by outcome (courier_submissions_total): broadcast, broadcast_failed, replaced_dropped, executed_elsewhere (another relayer delivered first), gap_filled, gap_fill_failed.',
          unit: 'suffix:/min',
          min: 0,
          stack: true,
          queries: [{ expr: `sum by (outcome) (rate(courier_submissions_total{${chain}}[$__rate_interval])) * 60`, legend: '{{outcome}}' }],
        }),
        timeSeries({
          title: 'Fee bumps per minute',
          description: 'Replacements of unmined destination transactions on $chain with a higher fee, per minute (courier_fee_bumps_total), and their 15 m average (courier:fee_bumps:rate15m). Frequent bumps: the fee policy starts too low for the chain.',
          unit: 'suffix:/min',
          min: 0,
          queries: [
            { expr: `sum(rate(courier_fee_bumps_total{${chain}}[$__rate_interval])) * 60`, legend: 'bumps' },
            { expr: `sum(courier:fee_bumps:rate15m{${chain}}) * 60`, legend: '15 m average' },
          ],
        }),
        timeSeries({
          title: 'Transactions out of fee bumps',
          description: 'Destination transactions on $chain that used every fee bump (or hit the fee cap) and are still unmined (courier_fee_bumps_exhausted). Later nonces queue behind them; CourierFeeBumpsExhausted fires after 10 minutes.',
          unit: 'short',
          min: 0,
          queries: [{ expr: `max(courier_fee_bumps_exhausted{${chain}})`, legend: 'exhausted' }],
          thresholds: { base: 'green', steps: [[1, 'red']] },
        }),
      ],
    },
  ],
});
