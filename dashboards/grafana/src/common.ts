// What every Courier dashboard shares: the data source, the template variables, the panel kinds and the layout.
// Each dashboard module describes its rows and panels with these helpers and never builds a panel by hand.
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder, DashboardCursorSync, DashboardLinkBuilder, DashboardLinkType, DatasourceVariableBuilder,
  MappingType, QueryVariableBuilder, RowBuilder, ThresholdsConfigBuilder, ThresholdsMode, VariableRefresh, VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** uid of the Prometheus data source: provisioning/datasources/prometheus.yaml and the Terraform module's default. */
export const DATASOURCE_UID = 'courier-prometheus';
/** Every panel and query reads from the `datasource` variable, which defaults to DATASOURCE_UID. */
export const DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** Outcomes of courier_rpc_requests_total that are answers, not faults (as in courier:rpc_error_ratio:rate5m). */
export const RPC_NOT_ERRORS = 'ok|reverted|nonce_too_low|already_known|underpriced|insufficient_funds|range_too_large';

/** Wei per native token on the EVM chains Courier serves (18 decimals). */
export const WEI_PER_TOKEN = '1e18';

// ---------------------------------------------------------------------------------------------------------------
// Template variables

/** The Prometheus data source picker; the provisioned one is preselected. */
function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type('prometheus')
    .current({ text: DATASOURCE_UID, value: DATASOURCE_UID });
}

/** A variable listing the values of one label of one metric (`label_values(metric, label)`). */
export function labelVariable(label: string, metric: string, opts: { title: string; multi?: boolean }): QueryVariableBuilder {
  const query = `label_values(${metric}, ${label})`;
  const v = new QueryVariableBuilder(label)
    .label(opts.title)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.NaturalAsc);
  return opts.multi ? v.multi(true).includeAll(true).allValue('.*').current({ text: 'All', value: '$__all' }) : v;
}

// ---------------------------------------------------------------------------------------------------------------
// Queries

/** One query of a panel: a PromQL expression and how its series are named. */
export interface Query {
  expr: string;
  legend?: string;
  /** Evaluate at the end of the range only (tables). */
  instant?: boolean;
}

/** `histogram_quantile` of a classic histogram, one query per quantile (0.5 -> "p50"). */
export function quantiles(metric: string, selector: string, by: string[], qs: number[], legendPrefix = ''): Query[] {
  const byLe = [...by, 'le'].join(', ');
  return qs.map((q) => ({
    expr: `histogram_quantile(${q}, sum by (${byLe}) (rate(${metric}_bucket{${selector}}[$__rate_interval])))`,
    legend: `${legendPrefix}p${Math.round(q * 100)}${by.map((l) => ` {{${l}}}`).join('')}`,
  }));
}

function target(q: Query, i: number): DataqueryBuilder {
  const b = new DataqueryBuilder()
    .datasource(DATASOURCE)
    .refId(String.fromCharCode(65 + i))
    .expr(q.expr)
    .legendFormat(q.legend ?? '__auto');
  return q.instant ? b.instant().format(PromQueryFormat.Table) : b.range();
}

// ---------------------------------------------------------------------------------------------------------------
// Panels

/** What every panel states: a title, what it shows and how to read it, its unit and queries, its size. */
export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  queries: Query[];
  /** Width in grid columns (of 24); 8 by default. */
  width?: number;
  /** Height in grid rows; 8 by default. */
  height?: number;
  min?: number;
  max?: number;
  decimals?: number;
  /** Colour steps: the base colour, then [value, colour] pairs. */
  thresholds?: { base: string; steps?: [number, string][] };
  /** Display text (and colour) for exact values, e.g. 1 -> "halted". */
  valueText?: Record<string, { text: string; color: string }>;
}

/** A panel waiting for its id, which the dashboard hands out in layout order. */
export type PanelDef = (id: number) => cog.Builder<dashboard.Panel>;

/** The setters all panel builders share (each builder type has its own class, with the same methods). */
interface AnyPanelBuilder<Self> {
  id(id: number): Self;
  title(title: string): Self;
  description(description: string): Self;
  datasource(ref: common.DataSourceRef): Self;
  unit(unit: string): Self;
  span(span: number): Self;
  height(height: number): Self;
  min(min: number): Self;
  max(max: number): Self;
  decimals(decimals: number): Self;
  thresholds(t: cog.Builder<dashboard.ThresholdsConfig>): Self;
  mappings(m: dashboard.ValueMapping[]): Self;
  withTarget(t: cog.Builder<cog.Dataquery>): Self;
}

function configure<B extends AnyPanelBuilder<B>>(b: B, spec: PanelSpec, id: number): B {
  let p = b.id(id)
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? 8)
    .height(spec.height ?? 8);
  if (spec.min !== undefined) p = p.min(spec.min);
  if (spec.max !== undefined) p = p.max(spec.max);
  if (spec.decimals !== undefined) p = p.decimals(spec.decimals);
  if (spec.thresholds) {
    p = p.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
      { value: null, color: spec.thresholds.base },
      ...(spec.thresholds.steps ?? []).map(([value, color]) => ({ value, color })),
    ]));
  }
  if (spec.valueText) {
    const options: Record<string, dashboard.ValueMappingResult> = {};
    Object.entries(spec.valueText).forEach(([value, r], index) => { options[value] = { ...r, index }; });
    p = p.mappings([{ type: MappingType.ValueToText, options }]);
  }
  spec.queries.forEach((q, i) => { p = p.withTarget(target(q, i)); });
  return p;
}

/**
 * A time series; `stack` stacks the series (parts of a whole), `bars` draws counts per interval, `thresholdLines`
 * draws the thresholds' steps as dashed lines (an SLO, a floor).
 */
export function timeSeries(spec: PanelSpec & { stack?: boolean; bars?: boolean; thresholdLines?: boolean }): PanelDef {
  return (id) => configure(new timeseries.PanelBuilder(), spec, id)
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder()
      .mode(spec.thresholdLines ? common.GraphThresholdsStyleMode.Dashed : common.GraphThresholdsStyleMode.Off))
    .legend(new common.VizLegendOptionsBuilder()
      .showLegend(true)
      .displayMode(common.LegendDisplayMode.Table)
      .placement(common.LegendPlacement.Bottom)
      .calcs(['lastNotNull', 'max']))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .drawStyle(spec.bars ? common.GraphDrawStyle.Bars : common.GraphDrawStyle.Line)
    .fillOpacity(spec.stack || spec.bars ? 60 : 10)
    .stacking(new common.StackingConfigBuilder().mode(spec.stack ? common.StackingMode.Normal : common.StackingMode.None))
    .showPoints(common.VisibilityMode.Never);
}

/** The latest value of each series, large. */
export function singleStat(spec: PanelSpec & { sparkline?: boolean }): PanelDef {
  return (id) => configure(new stat.PanelBuilder(), spec, id)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(spec.sparkline ? common.BigValueGraphMode.Area : common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Background)
    .textMode(common.BigValueTextMode.ValueAndName);
}

/** A table of an instant query: one row per series, its labels as columns, the value last. */
export function instantTable(spec: PanelSpec & { valueColumn: string }): PanelDef {
  const instantSpec = { ...spec, queries: spec.queries.map((q) => ({ ...q, instant: true })) };
  return (id) => configure(new table.PanelBuilder(), instantSpec, id)
    .withTransformation({
      id: 'organize',
      options: { excludeByName: { Time: true }, renameByName: { Value: spec.valueColumn } },
    })
    .sortBy([new common.TableSortByFieldStateBuilder().displayName(spec.valueColumn).desc(true)]);
}

// ---------------------------------------------------------------------------------------------------------------
// Dashboards

export interface Row {
  title: string;
  panels: PanelDef[];
}

/** A Courier dashboard: uid, title, tag `courier`, the data source variable first, then `variables`, then the rows. */
export function courierDashboard(spec: {
  uid: string;
  title: string;
  description: string;
  variables?: cog.Builder<dashboard.VariableModel>[];
  rows: Row[];
}): DashboardBuilder {
  let d = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['courier'])
    .editable()
    .timezone('browser')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .tooltip(DashboardCursorSync.Crosshair)
    .links([
      new DashboardLinkBuilder('Courier')
        .type(DashboardLinkType.Dashboards)
        .tags(['courier'])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    ])
    .withVariable(datasourceVariable());
  for (const v of spec.variables ?? []) d = d.withVariable(v);
  let id = 1;
  for (const row of spec.rows) {
    d = d.withRow(new RowBuilder(row.title).id(id++));
    for (const panel of row.panels) d = d.withPanel(panel(id++));
  }
  return d;
}
