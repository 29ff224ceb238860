import { describe, expect, it } from "vitest";
import {
  HTTP_EVIDENCE_SCHEMA,
  type HttpEvidence,
  type HttpExchange,
} from "../../../shared/evidence/web";
import { judgeHsts, judgePlainHttp, parseHsts } from "./http";

describe("Strict-Transport-Security as RFC 6797 §6.1 reads it", () => {
  it.each([
    [
      "max-age=31536000",
      { valid: true, maxAge: 31536000, includeSubDomains: false },
    ],
    [
      "max-age=31536000; includeSubDomains; preload",
      { valid: true, maxAge: 31536000, includeSubDomains: true },
    ],
    [
      'MAX-AGE="15552000"',
      { valid: true, maxAge: 15552000, includeSubDomains: false },
    ],
    ["max-age=0", { valid: true, maxAge: 0, includeSubDomains: false }],
    [
      " ; max-age = 600 ;; ",
      { valid: true, maxAge: 600, includeSubDomains: false },
    ],
    [
      'max-age=600; unknown="a;b"',
      { valid: true, maxAge: 600, includeSubDomains: false },
    ],
    [
      "max-age=31536000; max-age=31536000",
      { valid: false, problem: "max-age is given twice" },
    ],
    [
      "max-age=1; includeSubDomains; includesubdomains",
      { valid: false, problem: "includesubdomains is given twice" },
    ],
    ["includeSubDomains", { valid: false, problem: "max-age is missing" }],
    ["", { valid: false, problem: "max-age is missing" }],
    [
      "max-age=-1",
      { valid: false, problem: 'max-age is not a non-negative integer ("-1")' },
    ],
    [
      "max-age=1.5",
      {
        valid: false,
        problem: 'max-age is not a non-negative integer ("1.5")',
      },
    ],
    [
      "max-age",
      {
        valid: false,
        problem: "max-age is not a non-negative integer (no value)",
      },
    ],
    [
      "max-age=",
      { valid: false, problem: 'max-age is not a non-negative integer ("")' },
    ],
    [
      "max-age=31536000, max-age=0",
      {
        valid: false,
        problem:
          'max-age is not a non-negative integer ("31536000, max-age=0")',
      },
    ],
  ])("%j", (value, expected) => {
    expect(parseHsts(value)).toEqual(expected);
  });
});

const hop = (fields: Partial<HttpExchange>): HttpExchange => ({
  url: "https://mes01.plant.local/",
  outcome: "answered",
  status: 200,
  headers: {},
  bodyBytes: 10,
  durationMs: 3,
  error: "",
  ...fields,
});
const evidence = (
  paths: { path: string; hops: HttpExchange[] }[],
  scheme: "http" | "https" = "https",
): HttpEvidence => ({
  schema: HTTP_EVIDENCE_SCHEMA,
  scheme,
  host: "10.20.0.5",
  port: scheme === "https" ? 443 : 80,
  serverName: "mes01.plant.local",
  clientIdentity: false,
  paths,
});

describe("ENT-PER.http.hsts over every listed path", () => {
  const good = ["max-age=31536000"];
  it("judges the final answer on the same host, not a redirect to another one", () => {
    const redirected = evidence([
      {
        path: "/Opcenter",
        hops: [
          hop({
            url: "https://mes01.plant.local/Opcenter",
            status: 302,
            hsts: [],
          }),
          hop({ url: "https://mes01.plant.local/Opcenter/", hsts: good }),
        ],
      },
    ]);
    expect(judgeHsts("ENT-PER.http.hsts", redirected).verdict).toBe("pass");
    const away = evidence([
      {
        path: "/sso",
        hops: [
          hop({ url: "https://mes01.plant.local/sso", status: 302, hsts: [] }),
          hop({ url: "https://login.plant.local/", hsts: good }),
        ],
      },
    ]);
    expect(judgeHsts("ENT-PER.http.hsts", away)).toMatchObject({
      verdict: "warn",
      message: expect.stringContaining(
        "https://mes01.plant.local/sso sends no",
      ) as string,
    });
  });

  it("gives the same verdict whatever the order of the paths", () => {
    const paths = [
      {
        path: "/a",
        hops: [hop({ url: "https://mes01.plant.local/a", hsts: good })],
      },
      {
        path: "/b",
        hops: [
          hop({ url: "https://mes01.plant.local/b", hsts: ["max-age=60"] }),
        ],
      },
      {
        path: "/c",
        hops: [hop({ url: "https://mes01.plant.local/c", hsts: good })],
      },
    ];
    const verdicts = [
      paths,
      [...paths].reverse(),
      [paths[1]!, paths[0]!, paths[2]!],
    ].map((order) => judgeHsts("ENT-PER.http.hsts", evidence(order)));
    for (const result of verdicts) {
      expect(result.verdict).toBe("warn");
      expect(result.message).toBe(
        "https://mes01.plant.local/b: Strict-Transport-Security max-age is 60 s (0 days), below 180 days; raise it to 31536000.",
      );
    }
  });
});

describe("plain HTTP behind a header too large to read", () => {
  const tooLarge = (status: number) =>
    evidence(
      [
        {
          path: "/",
          hops: [
            hop({
              url: "http://mes01.plant.local/",
              outcome: "header-too-large",
              status,
              error: `The server answered ${status} with a header larger than 256 KiB, which Cellcert does not read (browsers refuse such answers too).`,
            }),
          ],
        },
      ],
      "http",
    );
  it.each([
    [200, "fail", "serves content over plain HTTP (200)"],
    [401, "fail", "asks for credentials over plain HTTP (401)"],
    [302, "warn", "where it leads cannot be told"],
  ])("%i: %s", (status, verdict, says) => {
    const result = judgePlainHttp("ENT-PER.http.plain", tooLarge(status));
    expect(result.verdict).toBe(verdict);
    expect(result.message).toContain(says);
    expect(result.message).toContain("header larger than 256 KiB");
    expect(result.message).not.toContain("not with HTTP");
  });
});
