// The start screen: where a commissioning begins.
import type { ReactNode } from "react";

export function StartScreen(): ReactNode {
  return (
    <section className="start" aria-labelledby="start-title">
      <h1 id="start-title">Commission a plant</h1>
      <p className="lead">
        Walk every cell boundary, probe the live endpoints from where the laptop
        stands, and sign the commissioning certificate.
      </p>
    </section>
  );
}
