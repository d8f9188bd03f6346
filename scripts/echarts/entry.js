// The ECharts the page loads: only the chart types and components the dashboard draws, which
// keeps the page under its weight budget (the full echarts.min.js is ~370 KB gzip).
// Built by scripts/build-echarts.mjs into target/echarts/echarts.min.js (global `echarts`).
// A new chart type or component in src/ needs its `use` here, or ECharts logs "not registered"
// (legends are plain, not scrolling; heat-map scales continuous, not piecewise; no toolbox: the
// chart box has its own PNG button).
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, HeatmapChart, LineChart, ScatterChart, TreemapChart } from 'echarts/charts';
import {
  GridComponent, LegendPlainComponent, MarkLineComponent, TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, FunnelChart, HeatmapChart, LineChart, ScatterChart, TreemapChart,
  GridComponent, LegendPlainComponent, MarkLineComponent, TooltipComponent,
  VisualMapContinuousComponent, CanvasRenderer,
]);

globalThis.echarts = echarts;
