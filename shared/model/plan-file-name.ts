// How a plan's file name ends, in a module without zod so the CLI's help can name it without loading the schema.
export const PLAN_FILE_SUFFIX = ".cellcert.json";
