// `cellcert probe mtls|https|http` (DESIGN §8): client-certificate enforcement, paths over HTTPS with HSTS,
// and plain HTTP. Standalone probes name no boundary, so checks carry their profile ids (mtls.…, vdir.https…).
import { basename, resolve } from "node:path";
import { formatHostPort } from "../../../shared/model/net";
import { DEFAULT_POLICY } from "../../../shared/model/policy-defaults";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import { readPkcs12 } from "../../engine/identity";
import { HostLimiter } from "../../engine/net";
import {
  presentable,
  type LoadedIdentity,
} from "../../engine/families/client-identity";
import { probeWeb } from "../../engine/protocols/http/probe";
import { probeMtls } from "../../engine/protocols/http/mtls";
import {
  judgeHsts,
  judgeHttpsPaths,
  judgePlainHttp,
} from "../../engine/rules/http";
import { judgeMtls } from "../../engine/rules/mtls";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { emitProbeReport, probeReport } from "../probe-report";
import { secretFromEnv, type HostPort } from "../probe-options";
import { profileChecks, type ProfileOptions } from "./probe-tls-profile";
import { MAX_PKCS12_BYTES, readInputFile } from "../input-files";

interface CommonOptions {
  servername?: string;
  ca?: string[];
  crl?: string[];
  publicRoots?: boolean;
  json?: boolean;
}

interface IdentityOptions {
  clientP12?: string;
  passphraseEnv?: string;
}

async function loadIdentity(
  options: IdentityOptions,
  io: CliIo,
): Promise<LoadedIdentity | undefined> {
  if (options.clientP12 === undefined) return undefined;
  if (options.passphraseEnv === undefined) {
    return {
      problem:
        "--client-p12 needs --passphrase-env naming the variable that holds its passphrase.",
    };
  }
  const path = resolve(io.cwd, options.clientP12);
  const passphrase = secretFromEnv(
    io.env,
    options.passphraseEnv,
    `passphrase of ${basename(path)}`,
  );
  const bytes = await readInputFile({
    label: `--client-p12 ${options.clientP12}`,
    path,
    limitBytes: MAX_PKCS12_BYTES,
    hint: "give the path of the client identity's .p12 file",
  });
  return presentable(
    readPkcs12(Buffer.from(bytes), passphrase, { fileName: basename(path) }),
  );
}

function profileOptions(
  target: HostPort,
  options: CommonOptions,
  io: CliIo,
  limiter: HostLimiter,
): ProfileOptions {
  return {
    host: target.host,
    port: target.port,
    serverName: options.servername ?? target.host,
    caFiles: options.ca ?? [],
    crlFiles: options.crl ?? [],
    publicRoots: options.publicRoots === true,
    limiter,
    io,
  };
}

export async function probeMtlsCommand(
  target: HostPort,
  options: CommonOptions & IdentityOptions & { path: string },
  io: CliIo,
) {
  const loaded = await loadIdentity(options, io);
  if (loaded !== undefined && "problem" in loaded) {
    io.stderr(loaded.problem);
    return ExitCode.unjudged;
  }
  const identity = loaded ?? {
    problem:
      "No client identity was given: pass --client-p12 FILE --passphrase-env VARIABLE to prove the server accepts the plan's identity.",
  };
  const started = new Date();
  const limiter = new HostLimiter();
  const profile = await profileChecks(
    profileOptions(target, options, io, limiter),
  );
  const evidence = await probeMtls(
    {
      host: target.host,
      port: target.port,
      serverName: options.servername ?? target.host,
      path: options.path,
      identity,
    },
    { limiter, timeoutMs: DEFAULT_POLICY.timeoutMs, now: () => started },
  );
  const checks: CheckOutcome[] = [
    ...profile.checks,
    ...judgeMtls(
      [
        "mtls.anonymous-refused",
        "mtls.untrusted-refused",
        "mtls.identity-accepted",
      ],
      evidence,
    ),
  ];
  const spoke = evidence.attempts.some(
    (a) => a.result === "accepted" || a.result === "refused",
  );
  return emitProbeReport(
    probeReport({
      command: "probe mtls",
      target: formatHostPort(target.host, target.port),
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      checks,
      evidence: { tls: profile.evidence, mtls: evidence },
      unjudged:
        profile.unjudged ??
        (spoke
          ? null
          : `No TLS connection to ${formatHostPort(target.host, target.port)} could be made.`),
    }),
    io,
    options.json === true,
  );
}

export async function probeHttpsCommand(
  target: HostPort,
  options: CommonOptions & IdentityOptions & { path?: string[] },
  io: CliIo,
) {
  const identity = await loadIdentity(options, io);
  if (identity !== undefined && "problem" in identity) {
    io.stderr(identity.problem);
    return ExitCode.unjudged;
  }
  const started = new Date();
  const limiter = new HostLimiter();
  const profile = await profileChecks(
    profileOptions(target, options, io, limiter),
  );
  const evidence = await probeWeb(
    {
      scheme: "https",
      host: target.host,
      port: target.port,
      serverName: options.servername ?? target.host,
      paths: options.path ?? ["/"],
      followRedirects: true,
      allowedHosts: [],
    },
    {
      limiter,
      timeoutMs: DEFAULT_POLICY.timeoutMs,
      ...(identity !== undefined && { certificate: identity.certificate }),
    },
  );
  const reached = evidence.paths.some((p) =>
    p.hops.some((h) => h.outcome === "answered"),
  );
  return emitProbeReport(
    probeReport({
      command: "probe https",
      target: formatHostPort(target.host, target.port),
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      checks: [
        ...profile.checks,
        judgeHttpsPaths("vdir.https", evidence, []),
        judgeHsts("http.hsts", evidence),
      ],
      evidence: { tls: profile.evidence, https: evidence },
      unjudged:
        profile.unjudged ??
        (reached ? null : (evidence.paths[0]?.hops[0]?.error ?? "No answer.")),
    }),
    io,
    options.json === true,
  );
}

export async function probeHttpCommand(
  target: HostPort,
  options: { path?: string[]; servername?: string; json?: boolean },
  io: CliIo,
) {
  const started = new Date();
  const evidence = await probeWeb(
    {
      scheme: "http",
      host: target.host,
      port: target.port,
      // A redirect to https must keep this name or the host (DESIGN §3 plain HTTP), as a run keeps the endpoint's.
      serverName: options.servername ?? target.host,
      paths: options.path ?? ["/"],
      followRedirects: false,
      allowedHosts: [],
    },
    { limiter: new HostLimiter(), timeoutMs: DEFAULT_POLICY.timeoutMs },
  );
  const first = evidence.paths[0]?.hops[0];
  const unreachable =
    first !== undefined &&
    (first.outcome === "dns-failure" || first.outcome === "unreachable");
  return emitProbeReport(
    probeReport({
      command: "probe http",
      target: formatHostPort(target.host, target.port),
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      checks: [judgePlainHttp("http.plain", evidence)],
      evidence,
      unjudged: unreachable ? first.error : null,
    }),
    io,
    options.json === true,
  );
}
