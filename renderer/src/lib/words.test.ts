// The words the UI puts on screen: schema findings as field sentences, engine sentences without command-line
// options, secret references in words. None of zod's or the CLI's notation reaches an engineer.
import { describe, expect, it } from "vitest";
import { PlantData, Policy, SecretRef } from "../../../shared/model/plan";
import { secretRefProblem, secretRefWords } from "../components/SecretRefField";
import { inAppHint, inAppWords } from "./engine-words";
import { asSentence, checkFields } from "./field-problems";

/** What zod says of itself, and the plan file's own notation: never on screen. */
const NOT_FOR_ENGINEERS =
  /Too (small|big)|expected|Invalid input|[<>]=|received|env:|keychain:|--[a-z]/;

describe("field sentences", () => {
  const policy = Policy.parse({});
  const plant = PlantData.parse({ name: "Plant" });
  it.each([
    [
      "a timeout below the floor",
      Policy,
      { ...policy, timeoutMs: 100 },
      "/timeoutMs",
      "Enter 500 or more.",
    ],
    [
      "a timeout above the ceiling",
      Policy,
      { ...policy, timeoutMs: 99_999 },
      "/timeoutMs",
      "Enter 30000 or less.",
    ],
    [
      "a word where a number goes",
      Policy,
      { ...policy, reauditMonths: "twelve" },
      "/reauditMonths",
      "Enter a number.",
    ],
    [
      "a fraction where a whole number goes",
      Policy,
      { ...policy, maxConnections: 1.5 },
      "/maxConnections",
      "Enter a whole number.",
    ],
    [
      "the schema's own reason, as a sentence",
      Policy,
      { ...policy, headroomDays: 10 },
      "/headroomDays",
      "Headroom may only be made stricter than 30 days.",
    ],
    [
      "a choice that is not offered",
      Policy,
      { ...policy, minimumTlsVersion: "TLSv1.0" },
      "/minimumTlsVersion",
      "Choose one of TLSv1.2, TLSv1.3.",
    ],
    [
      "a required name left empty",
      PlantData,
      { ...plant, name: " " },
      "/name",
      "The plant's name is required.",
    ],
    [
      "a text too long",
      PlantData,
      { ...plant, notes: "x".repeat(4001) },
      "/notes",
      "Keep it to 4000 characters at most.",
    ],
    [
      "a date that is no date",
      PlantData,
      { ...plant, startDate: "2026-13-01" },
      "/startDate",
      "Enter a date as YYYY-MM-DD.",
    ],
  ] as const)("%s", (_, schema, value, pointer, sentence) => {
    const checked = checkFields(schema, value);
    expect(checked.success).toBe(false);
    expect(checked.problems).toEqual([{ pointer, reason: sentence }]);
    for (const problem of checked.problems)
      expect(problem.reason).not.toMatch(NOT_FOR_ENGINEERS);
  });

  it("hand the parsed value over when there is nothing to say", () => {
    const checked = checkFields(Policy, { timeoutMs: 800 });
    expect(checked.success && checked.data.timeoutMs).toBe(800);
    expect(checked.problems).toEqual([]);
  });

  it("write a reason as a sentence once", () => {
    expect(asSentence("a port is 1 to 65535")).toBe("A port is 1 to 65535.");
    expect(asSentence("Already a sentence.")).toBe("Already a sentence.");
    expect(asSentence("")).toBe("");
  });
});

describe("engine sentences on screen", () => {
  it.each([
    // Recorded by an earlier version, which named the command line's options: shown in today's words.
    [
      "No SQL login was given, so this needs one: use --user with --password-env, or give the endpoint a SQL credential in the plan.",
      "No SQL login was given: this check logs in to SQL Server and needs one.",
    ],
    // Today's engine says it neutrally: shown as it is.
    [
      "No CA was given: the signer was not checked against a trusted commissioning CA.",
      "No CA was given: the signer was not checked against a trusted commissioning CA.",
    ],
    [
      `10.20.0.5:443 refuses every TLS 1.2 and TLS 1.3 handshake that carries no server name (SNI), before it answers: it needs a server name, as IIS bindings with "Require Server Name Indication" do. Set the server name it serves (--servername NAME on the command line, or the endpoint's server name in the plan) and probe again.`,
      `10.20.0.5:443 refuses every TLS 1.2 and TLS 1.3 handshake that carries no server name (SNI), before it answers: it needs a server name, as IIS bindings with "Require Server Name Indication" do. Set the server name it serves (the endpoint's SNI name, under Plan setup) and probe again.`,
    ],
    [
      "The server accepts TLS 1.0: switch it off.",
      "The server accepts TLS 1.0: switch it off.",
    ],
  ])("%s", (engine, shown) => {
    expect(inAppWords(engine)).toBe(shown);
    expect(inAppWords(engine)).not.toMatch(NOT_FOR_ENGINEERS);
  });

  it("add where on screen to do what a not-tested result asks, by its reason", () => {
    expect(inAppHint("no credentials")).toBe(
      "Add a SQL credential under Plan setup, SQL credentials, and choose it for this endpoint.",
    );
    expect(inAppHint("unreachable")).toBeNull();
  });
});

describe("secret references", () => {
  it("are said in words", () => {
    expect(secretRefWords("prompt")).toBe("asked for in each session");
    expect(secretRefWords("keychain:dana-field-signing")).toBe(
      "kept in this computer's keychain",
    );
    expect(secretRefWords("env:SQL_PASSWORD")).toBe(
      "read from the environment variable SQL_PASSWORD",
    );
  });

  it("that cannot be kept say what to change in the field the engineer fills in", () => {
    expect(secretRefProblem("env:SQL_PASSWORD")).toBeNull();
    expect(secretRefProblem("prompt")).toBeNull();
    expect(SecretRef.safeParse("env:").success).toBe(false);
    for (const ref of ["env:", "env:1PASS", "env:has space"]) {
      const problem = secretRefProblem(ref);
      expect(problem).toMatch(/environment variable/);
      expect(problem).not.toMatch(NOT_FOR_ENGINEERS);
    }
  });
});
