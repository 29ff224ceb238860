// `cellcert probe mssql HOST[:PORT|\INSTANCE] [--servername N] [--ca F]… [--user U --password-env V] [--json]`
// (DESIGN §8): the APP-DB checks of one SQL Server. Without credentials the sql.* checks are not-tested, which
// alone is exit 0. The password is read from the named environment variable only, never from the command line.
import type { MssqlEvidence } from "../../../shared/evidence/mssql";
import type { Plan } from "../../../shared/model/plan";
import { formatHostPort, isHost, isIPv6 } from "../../../shared/model/net";
import { mssqlFamily } from "../../engine/families/mssql";
import type { MssqlTarget } from "../../engine/protocols/tds/probe";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { parsePort } from "../options";
import { planOfOne, probeWithFamily } from "../probe-endpoint";
import { emitProbeReport, probeReport } from "../probe-report";
import { readCaFiles, readCrlFiles } from "../input-files";

export interface ProbeMssqlOptions {
  servername?: string;
  ca?: string[];
  crl?: string[];
  user?: string;
  passwordEnv?: string;
  appLogin?: string;
  json?: boolean;
}

/** The password as the plan's credential reads it: the command's own variable, whatever --password-env names. */
const PASSWORD_VARIABLE = "CELLCERT_PROBE_SQL_PASSWORD";

/** The server as the one SQL Server endpoint of a plan of its own, with the login as its credential. */
function planOf(
  target: MssqlTarget,
  user: string | undefined,
  appLogin: string | undefined,
): Plan {
  return planOfOne(
    "mssql",
    {
      host: target.host,
      ...(target.port !== undefined && { port: target.port }),
      ...(target.instance !== undefined && { sqlInstance: target.instance }),
      ...(target.serverName !== undefined && { serverName: target.serverName }),
      ...(appLogin !== undefined && { appLogin }),
      ...(user !== undefined && { credentialId: "login" }),
    },
    user === undefined
      ? []
      : [
          {
            id: "login",
            name: "SQL login",
            user,
            password: `env:${PASSWORD_VARIABLE}`,
          },
        ],
  );
}

/** Thrown for bad arguments: exit 2 with the sentence. */
class UsageProblem extends Error {}

/** "host", "host:1433", "[fd00::5]:1433", "fd00::5", "host\INSTANCE". */
export function parseMssqlTarget(text: string): MssqlTarget {
  const value = text.trim();
  const backslash = value.indexOf("\\");
  if (backslash >= 0) {
    const host = value.slice(0, backslash);
    const instance = value.slice(backslash + 1);
    if (!isHost(host)) {
      throw new UsageProblem(`"${host}" is not a host name or IP address.`);
    }
    if (!/^[^\\;:\0]{1,32}$/.test(instance)) {
      throw new UsageProblem(
        `"${instance}" is not a SQL Server instance name (1 to 32 characters).`,
      );
    }
    return { host, instance };
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed !== null) {
    const host = bracketed[1] ?? "";
    if (!isIPv6(host)) {
      throw new UsageProblem(`"${host}" is not an IPv6 address.`);
    }
    return bracketed[2] === undefined
      ? { host }
      : { host, port: parsePortOrThrow(bracketed[2]) };
  }
  if (isIPv6(value)) return { host: value };
  const colon = value.lastIndexOf(":");
  const host = colon >= 0 ? value.slice(0, colon) : value;
  if (!isHost(host)) {
    throw new UsageProblem(
      `"${value}" is not HOST, HOST:PORT or HOST\\INSTANCE (IPv6 with a port in brackets: [fd00::5]:1433).`,
    );
  }
  return colon >= 0
    ? { host, port: parsePortOrThrow(value.slice(colon + 1)) }
    : { host };
}

function parsePortOrThrow(text: string): number {
  try {
    return parsePort(text);
  } catch (error) {
    throw new UsageProblem(
      error instanceof Error ? error.message : String(error),
    );
  }
}

export async function probeMssqlCommand(
  targetText: string,
  options: ProbeMssqlOptions,
  io: CliIo,
): Promise<ExitCode> {
  let target: MssqlTarget;
  let anchorsPem: string[];
  let crls: string[];
  let credentials: { user: string; password: string } | undefined;
  try {
    target = parseMssqlTarget(targetText);
    if (options.servername !== undefined) {
      if (!isHost(options.servername)) {
        throw new UsageProblem(
          `--servername "${options.servername}" is not a host name or IP address.`,
        );
      }
      target.serverName = options.servername;
    }
    anchorsPem = await readCaFiles(options.ca ?? [], io.cwd);
    crls = await readCrlFiles(options.crl ?? [], io.cwd);
    if (options.user !== undefined || options.passwordEnv !== undefined) {
      if (options.user === undefined || options.user.trim() === "") {
        throw new UsageProblem(
          "--password-env needs --user: give the SQL login whose password the variable holds.",
        );
      }
      if (options.passwordEnv === undefined) {
        throw new UsageProblem(
          "--user needs --password-env VARIABLE: the password is read from that environment variable, never from the command line.",
        );
      }
      const password = io.env[options.passwordEnv];
      if (password === undefined || password === "") {
        throw new UsageProblem(
          `The environment variable ${options.passwordEnv} is not set or empty: set it to the password of "${options.user}" (or name another with --password-env).`,
        );
      }
      credentials = { user: options.user, password };
    }
  } catch (error) {
    if (error instanceof UsageProblem) {
      io.stderr(error.message);
      return ExitCode.unjudged;
    }
    throw error;
  }

  const result = await probeWithFamily(
    "mssql",
    mssqlFamily,
    planOf(target, credentials?.user, options.appLogin),
    {
      trust: { anchorsPem, crls },
      io,
      env:
        credentials === undefined
          ? {}
          : { [PASSWORD_VARIABLE]: credentials.password },
    },
  );
  const { checks } = result;
  // The mssql family records the SQL Server probe's evidence as it is.
  const evidence = result.evidence[0]?.data as MssqlEvidence | undefined;
  const port = evidence?.target.port ?? null;
  const report = probeReport({
    command: "probe mssql",
    target:
      port === null
        ? `${target.host}\\${target.instance ?? ""}`
        : formatHostPort(target.host, port),
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    checks,
    evidence: evidence ?? null,
    unjudged: evidence?.unreachable?.message ?? null,
  });
  const exitCode = emitProbeReport(report, io, options.json === true);
  // The engine's sentence says a login is needed; how to give one here is the command line's to say.
  if (
    options.json !== true &&
    checks.some((check) => check.reason === "no credentials")
  )
    io.stdout(
      "\nThe sql.* checks need a SQL login: give one with --user LOGIN and --password-env VARIABLE.",
    );
  return exitCode;
}
