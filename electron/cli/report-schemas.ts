// The names of the CLI's JSON documents (docs/cli-json.md), in a module of their own so the help text can name them
// without loading the commands that write them.
export const RUN_REPORT_SCHEMA = "cellcert.run-report/2";
export const CHECK_PLAN_SCHEMA = "cellcert.check-plan/1";
export const VERIFY_REPORT_SCHEMA = "cellcert.verify-report/2";
export const DIFF_REPORT_SCHEMA = "cellcert.diff-report/1";
