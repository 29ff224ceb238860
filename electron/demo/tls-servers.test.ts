import { connect as tlsConnect } from "node:tls";
import { describe, expect, it } from "vitest";
import { createPracticePki } from "./pki";
import {
  oversizedChain,
  startHostileServer,
  startTlsServer,
} from "./tls-servers";

describe("practice TLS servers", () => {
  const pki = createPracticePki({ name: "Demo" });
  const leaf = pki.issueLeaf({ commonName: "mes01.plant.local" });

  it("listen on loopback addresses only", async () => {
    await expect(
      startTlsServer({ host: "0.0.0.0", chain: [leaf] }),
    ).rejects.toThrow(/loopback addresses only/);
    await expect(
      startHostileServer({ host: "10.0.0.1", behaviour: "silence" }),
    ).rejects.toThrow(/loopback/);
  });

  it("serve the chain they are given, and answer one HTTP request", async () => {
    const server = await startTlsServer({
      host: "127.0.2.10",
      chain: pki.chainOf(leaf),
    });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = tlsConnect(
          {
            host: "127.0.2.10",
            port: server.port,
            ca: [pki.root.pem],
            servername: "mes01.plant.local",
          },
          () => {
            socket.write("GET / HTTP/1.1\r\nhost: mes01.plant.local\r\n\r\n");
          },
        );
        let text = "";
        socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(server.target).toBe(`127.0.2.10:${server.port}`);
    } finally {
      await server.close();
    }
  });

  it("pad a chain to the size asked for", () => {
    const chain = oversizedChain(leaf, pki.intermediate, 1024 * 1024);
    expect(
      chain.reduce((sum, c) => sum + c.der.length, 0),
    ).toBeGreaterThanOrEqual(1024 * 1024);
  });
});
