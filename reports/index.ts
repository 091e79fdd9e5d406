// Package entry of the reports (`onesim/reports`): a self-contained HTML report and charts for a
// run or sweep folder, read from its files only.
export { sweepReport } from './sweepReport.ts';
export {
  type WriteReportParameters,
  type WriteReportReturnType,
  writeReport,
} from './writeReport.ts';
