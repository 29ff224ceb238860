// The sentence to show for a failed request: the engine's own words when it gave any.
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message !== "") return error.message;
  return "Something went wrong, and Cellcert could not say what.";
}
