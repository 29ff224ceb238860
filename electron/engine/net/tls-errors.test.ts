import { describe, expect, it } from "vitest";
import { classifyTlsError, TLS_SENTENCES } from "./tls-errors";

const nodeError = (code: string, message = code) =>
  Object.assign(new Error(message), { code });

describe("the one TLS error classifier", () => {
  it.each([
    [
      nodeError("ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE"),
      "alert",
      "handshake_failure (40)",
    ],
    [
      nodeError(
        "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
        "SSL alert number 116",
      ),
      "alert",
      "certificate_required (116)",
    ],
    [
      nodeError("ERR_SSL_TLSV1_UNRECOGNIZED_NAME"),
      "alert",
      "unrecognized_name (112)",
    ],
    [
      nodeError("ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION"),
      "version",
      "protocol_version (70)",
    ],
    [nodeError("ERR_SSL_WRONG_VERSION_NUMBER"), "version", ""],
    [nodeError("ERR_SSL_EXCESSIVE_MESSAGE_SIZE"), "too-large", ""],
    [nodeError("ECONNRESET"), "reset", ""],
    [nodeError("EPIPE"), "reset", ""],
    [
      new Error(
        "Client network socket disconnected before secure TLS connection was established",
      ),
      "closed",
      "",
    ],
    [
      nodeError(
        "ERR_SSL_TOO_MANY_WARN_ALERTS",
        "802C:error:0A000199:SSL routines:ssl3_read_bytes:too many warn alerts:../ssl/record/rec_layer_s3.c:1582:",
      ),
      "other",
      "",
    ],
  ])("%s → %s", (error, kind, alert) => {
    expect(classifyTlsError(error)).toMatchObject({ kind, alert });
  });

  it("words the same fault the same way, whoever made the handshake", () => {
    expect(classifyTlsError(nodeError("ECONNRESET")).message).toBe(
      TLS_SENTENCES.reset,
    );
    expect(
      classifyTlsError(nodeError("ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE"))
        .message,
    ).toBe(
      "The server refused the TLS handshake with the alert handshake_failure (40).",
    );
    expect(
      classifyTlsError(
        nodeError(
          "ERR_SSL_TOO_MANY_WARN_ALERTS",
          "802C:error:0A000199:SSL routines:ssl3_read_bytes:too many warn alerts:../ssl/x.c:1:",
        ),
      ).message,
    ).toBe("The TLS handshake failed: too many warn alerts.");
  });
});
