// `cellcert probe mtls|https|http` (DESIGN §8): client-certificate enforcement, paths over HTTPS with HSTS,
// and plain HTTP, each judged by the families a run uses (tls with mtls or https, http-plain). Standalone probes
// name no boundary, so checks carry their profile ids (mtls.…, vdir.https…).
import { basename, resolve } from "node:path";
import type { TlsEvidence } from "../../../shared/evidence/tls";
import type { HttpEvidence, MtlsEvidence } from "../../../shared/evidence/web";
import { formatHostPort } from "../../../shared/model/net";
import { readPkcs12 } from "../../engine/identity";
import {
  presentable,
  type LoadedIdentity,
} from "../../engine/families/client-identity";
import { httpPlainFamily } from "../../engine/families/http-plain";
import { httpsFamily } from "../../engine/families/https";
import { mtlsFamily } from "../../engine/families/mtls-https";
import { tlsFamily } from "../../engine/families/tls";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import {
  checksOn,
  evidenceOf,
  planOfOne,
  probeEndpoint,
  tlsProfileOf,
  type ProbeTrust,
} from "../probe-endpoint";
import { emitProbeReport, nothingJudged, probeReport } from "../probe-report";
import { secretFromEnv, type HostPort } from "../probe-options";
import {
  MAX_PKCS12_BYTES,
  readCaFiles,
  readCrlFiles,
  readInputFile,
} from "../input-files";

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

/** The --ca anchors and --crl lists, read before anything is sent: a bad file is the user's to fix first. */
async function readTrust(
  options: CommonOptions,
  io: CliIo,
): Promise<ProbeTrust> {
  return {
    anchorsPem: await readCaFiles(options.ca ?? [], io.cwd),
    crls: await readCrlFiles(options.crl ?? [], io.cwd),
  };
}

/** The TLS endpoint's fields from the command line: host, port, the name to send and check. */
function tlsFields(target: HostPort, options: CommonOptions) {
  return {
    host: target.host,
    port: target.port,
    ...(options.servername !== undefined && {
      serverName: options.servername,
    }),
    publicRoots: options.publicRoots === true,
  };
}

/**
 * The six profile checks come first: when none of them could be judged, that is why nothing could be (DESIGN §2,
 * the one rule of docs/cli-json.md). Once the profile is judged, a path or an attempt that got no answer is that
 * check's not-tested, listed and not counted, never "nothing could be judged".
 */
const profileUnjudged = (checks: Parameters<typeof nothingJudged>[0]) =>
  nothingJudged(checks.slice(0, 6));

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
  const trust = await readTrust(options, io);
  const result = await probeEndpoint(
    planOfOne("mtls-https", {
      ...tlsFields(target, options),
      paths: [options.path],
    }),
    {
      ...tlsProfileOf("mtls-https"),
      ...checksOn("mtls-https", [
        "mtls.anonymous-refused",
        "mtls.untrusted-refused",
        "mtls.identity-accepted",
      ]),
    },
    { tls: tlsFamily, mtls: mtlsFamily },
    { trust, io, clientIdentity: identity },
  );
  const mtls = evidenceOf(result, "mtls") as MtlsEvidence | null;
  return emitProbeReport(
    probeReport({
      command: "probe mtls",
      target: formatHostPort(target.host, target.port),
      startedAt: result.startedAt,
      durationMs: result.durationMs,
      checks: result.checks,
      evidence: {
        tls: evidenceOf(result, "tls") as TlsEvidence | null,
        mtls,
      },
      unjudged: profileUnjudged(result.checks),
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
  const trust = await readTrust(options, io);
  const result = await probeEndpoint(
    planOfOne("https", {
      ...tlsFields(target, options),
      paths: options.path ?? ["/"],
    }),
    {
      ...tlsProfileOf("https"),
      ...checksOn("https", ["vdir.https"]),
      // HSTS is judged on the enterprise's side of the perimeter: ENT-PER's check, by the same https family.
      "http.hsts": "ENT-PER.http.hsts",
    },
    { tls: tlsFamily, https: httpsFamily },
    {
      trust,
      io,
      ...(identity !== undefined && { clientIdentity: identity }),
    },
  );
  const https = evidenceOf(result, "https") as HttpEvidence | null;
  return emitProbeReport(
    probeReport({
      command: "probe https",
      target: formatHostPort(target.host, target.port),
      startedAt: result.startedAt,
      durationMs: result.durationMs,
      checks: result.checks,
      evidence: {
        tls: evidenceOf(result, "tls") as TlsEvidence | null,
        https,
      },
      unjudged: profileUnjudged(result.checks),
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
  const result = await probeEndpoint(
    planOfOne("http-plain", {
      host: target.host,
      port: target.port,
      // A redirect to https must keep this name or the host (DESIGN §3 plain HTTP), as a run keeps the endpoint's.
      ...(options.servername !== undefined && {
        serverName: options.servername,
      }),
      paths: options.path ?? ["/"],
    }),
    checksOn("http-plain", ["http.plain"]),
    { "http-plain": httpPlainFamily },
    { trust: { anchorsPem: [], crls: [] }, io },
  );
  const evidence = evidenceOf(result, "http") as HttpEvidence | null;
  const first = evidence?.paths[0]?.hops[0];
  const unreachable =
    first !== undefined &&
    (first.outcome === "dns-failure" || first.outcome === "unreachable");
  return emitProbeReport(
    probeReport({
      command: "probe http",
      target: formatHostPort(target.host, target.port),
      startedAt: result.startedAt,
      durationMs: result.durationMs,
      checks: result.checks,
      evidence,
      unjudged: unreachable ? first.error : null,
    }),
    io,
    options.json === true,
  );
}
