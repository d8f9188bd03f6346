// The ECharts the page loads: only the chart types and components the dashboard draws, which
// keeps the page under its weight budget (the full echarts.min.js is ~370 KB gzip).
// Built by scripts/build-echarts.mjs into target/echarts/echarts.min.js (global `echarts`).
// A new chart type or component in src/ needs its `use` here, or ECharts logs "not registered".
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, HeatmapChart, LineChart, ScatterChart, TreemapChart } from 'echarts/charts';
import {
  GridComponent, LegendComponent, MarkLineComponent, ToolboxComponent, TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, FunnelChart, HeatmapChart, LineChart, ScatterChart, TreemapChart,
  GridComponent, LegendComponent, MarkLineComponent, ToolboxComponent, TooltipComponent,
  VisualMapComponent, CanvasRenderer,
]);

globalThis.echarts = echarts;
