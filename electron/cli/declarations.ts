// Every command of `cellcert` (DESIGN §8): its arguments, options and help, and the one line that loads its code
// when it runs (DESIGN §6). Only light modules are imported here — commander, the option parsers, constants — so
// `cellcert --version`, `--help` and a usage error (exit 2) never load a probe, zod, the PDF writer or a driver.
// The `import type` lines only name the commands' signatures; they vanish from the build.
import { Option, type Command } from "commander";
import { PLAN_FILE_SUFFIX } from "../../shared/model/plan-file-name";
import { vantageIds } from "../../shared/plant-words";
import { DEFAULT_PORT_BASE } from "../demo/addresses";
import type { certifyCommand } from "./commands/certify";
import type { checkPlanCommand } from "./commands/check-plan";
import type { demo } from "./commands/demo";
import type { diffCommand } from "./commands/diff";
import type { newFromCommand } from "./commands/new-from";
import type { probeMssqlCommand } from "./commands/probe-mssql";
import type { probeOpcuaCommand } from "./commands/probe-opcua";
import type {
  probeFirewallCommand,
  probeTcpCommand,
} from "./commands/probe-tcp";
import type { probeTlsCommand } from "./commands/probe-tls";
import type {
  probeHttpCommand,
  probeHttpsCommand,
  probeMtlsCommand,
} from "./commands/probe-web";
import type { runCommand } from "./commands/run";
import type { serve } from "./commands/serve";
import type { verifyCommand } from "./commands/verify";
import type { CommandContext } from "./command-context";
import { parsePort, parseUrlPath } from "./options";
import {
  collect,
  parseHost,
  parseHostPort,
  parseOpcuaTarget,
  parseServerName,
  type HostPort,
} from "./probe-options";
import {
  CHECK_PLAN_SCHEMA,
  DIFF_REPORT_SCHEMA,
  RUN_REPORT_SCHEMA,
  VERIFY_REPORT_SCHEMA,
} from "./report-schemas";

/** The options a command's action receives: the parameter of its command function at `index`. */
type OptionsOf<
  F extends (...args: never[]) => unknown,
  I extends number,
> = Parameters<F>[I];

/** Every command, in the order `cellcert --help` lists them. */
export function declareCommands(
  program: Command,
  context: CommandContext,
): void {
  declareProbe(program, context);
  declareRun(program, context);
  declareServe(program, context);
  declareCheckPlan(program, context);
  declareDemo(program, context);
  declareCertify(program, context);
  declareVerify(program, context);
  declareNewFrom(program, context);
  declareDiff(program, context);
}

function declareProbe(program: Command, context: CommandContext): void {
  const probe = program
    .command("probe")
    .description(
      "probe one endpoint and judge it by the rule catalog (exit 0 nothing failed, 1 a check failed, 2 nothing judged)",
    );
  declareProbeTls(probe, context);
  declareProbeMssql(probe, context);
  declareProbeWeb(probe, context);
  declareProbeTcp(probe, context);
  declareProbeOpcua(probe, context);
}

/** The options of the TLS server profile, declared once for probe tls, mtls and https. */
function withProfileOptions(command: Command): Command {
  return command
    .option(
      "--servername <name>",
      "SNI name, Host name, and the name the certificate must carry (default: the host)",
      parseServerName,
    )
    .option(
      "--ca <file>",
      "trust anchor file for the chain, PEM or DER (repeatable; a PEM file may hold several)",
      collect(String),
    )
    .option(
      "--crl <file>",
      "certificate revocation list, PEM or DER (repeatable); the server's OCSP staple is always read",
      collect(String),
    )
    .option(
      "--public-roots",
      "also trust Node's bundled public roots (public endpoints only)",
    );
}

function declareProbeTls(
  probe: Command,
  { io, setExitCode }: CommandContext,
): void {
  withProfileOptions(
    probe
      .command("tls")
      .description(
        "the TLS server profile: protocols, suites, certificate chain, name, validity and strength",
      )
      .argument(
        "<host:port>",
        "the endpoint, IPv6 in brackets ([::1]:443)",
        parseHostPort,
      ),
  )
    .option("--json", "print one cellcert.probe-report/1 document")
    .action(
      async (
        target: HostPort,
        options: OptionsOf<typeof probeTlsCommand, 1>,
      ) => {
        const { probeTlsCommand } = await import("./commands/probe-tls");
        setExitCode(await probeTlsCommand(target, options, io));
      },
    );
}

function declareProbeMssql(
  probe: Command,
  { io, setExitCode }: CommandContext,
): void {
  probe
    .command("mssql")
    .description(
      "the APP-DB checks of a SQL Server: encryption and certificate without credentials, SQL authentication with them",
    )
    .argument(
      "<target>",
      "HOST (port 1433), HOST:PORT, or HOST\\INSTANCE (port from SQL Browser)",
    )
    .option(
      "--servername <name>",
      "the name the certificate must carry (SNI and name check; default: the host)",
      parseServerName,
    )
    .option(
      "--ca <file>",
      "a trust anchor (PEM or DER); repeat for several",
      collect(String),
    )
    .option(
      "--crl <file>",
      "a certificate revocation list (PEM or DER); repeat for several",
      collect(String),
    )
    .option("--user <login>", "a SQL login for the sql.* checks")
    .option(
      "--password-env <variable>",
      "the environment variable holding the SQL login's password",
    )
    .option(
      "--app-login <login>",
      "the MES application's SQL login, whose sessions APP-DB.sql.app-sessions inspects",
    )
    .option("--json", "print a cellcert.probe-report/1 document")
    .action(
      async (
        target: string,
        options: OptionsOf<typeof probeMssqlCommand, 1>,
      ) => {
        // The target is read inside the command: its sentences are the command's (exit 2).
        const { probeMssqlCommand } = await import("./commands/probe-mssql");
        setExitCode(await probeMssqlCommand(target, options, io));
      },
    );
}

function declareProbeWeb(
  probe: Command,
  { io, setExitCode }: CommandContext,
): void {
  withProfileOptions(
    probe
      .command("mtls")
      .description(
        "the TLS server profile plus client-certificate enforcement (anonymous, unknown CA, the plan's identity)",
      )
      .argument("<host:port>", "the endpoint, IPv6 in brackets", parseHostPort),
  )
    .requiredOption(
      "--client-p12 <file>",
      "the client identity the server must accept (PKCS#12)",
    )
    .requiredOption(
      "--passphrase-env <variable>",
      "environment variable holding the PKCS#12 passphrase",
    )
    .option("--path <path>", "path to request", parseUrlPath, "/")
    .option("--json", "print a cellcert.probe-report/1 document")
    .action(
      async (
        target: HostPort,
        options: OptionsOf<typeof probeMtlsCommand, 1>,
      ) => {
        const { probeMtlsCommand } = await import("./commands/probe-web");
        setExitCode(await probeMtlsCommand(target, options, io));
      },
    );

  withProfileOptions(
    probe
      .command("https")
      .description(
        "the TLS server profile plus each path over HTTPS and the HSTS header",
      )
      .argument("<host:port>", "the endpoint, IPv6 in brackets", parseHostPort),
  )
    .option(
      "--path <path>",
      "path to request (repeatable; default /)",
      collect(parseUrlPath),
    )
    .option("--client-p12 <file>", "client identity to present (PKCS#12)")
    .option(
      "--passphrase-env <variable>",
      "environment variable holding the PKCS#12 passphrase",
    )
    .option("--json", "print a cellcert.probe-report/1 document")
    .action(
      async (
        target: HostPort,
        options: OptionsOf<typeof probeHttpsCommand, 1>,
      ) => {
        const { probeHttpsCommand } = await import("./commands/probe-web");
        setExitCode(await probeHttpsCommand(target, options, io));
      },
    );

  probe
    .command("http")
    .description(
      "plain HTTP: closed, or redirecting to https on the same host; content served fails",
    )
    .argument(
      "<host:port>",
      "the plain-HTTP endpoint, IPv6 in brackets",
      parseHostPort,
    )
    .option(
      "--path <path>",
      "path to request (repeatable; default /)",
      collect(parseUrlPath),
    )
    .option(
      "--servername <name>",
      "the Host name sent, and the name a redirect must keep (default: the host)",
      parseServerName,
    )
    .option("--json", "print a cellcert.probe-report/1 document")
    .action(
      async (
        target: HostPort,
        options: OptionsOf<typeof probeHttpCommand, 1>,
      ) => {
        const { probeHttpCommand } = await import("./commands/probe-web");
        setExitCode(await probeHttpCommand(target, options, io));
      },
    );
}

function declareProbeTcp(
  probe: Command,
  { io, setExitCode }: CommandContext,
): void {
  probe
    .command("tcp")
    .description(
      "one port: open, or closed (refused or filtered) when --expect closed",
    )
    .argument("<host:port>", "the port, IPv6 in brackets", parseHostPort)
    .addOption(
      new Option("--expect <state>", "what the port should be")
        .choices(["open", "closed"])
        .default("open"),
    )
    .option("--json", "print a cellcert.probe-report/1 document")
    .action(
      async (
        target: HostPort,
        options: OptionsOf<typeof probeTcpCommand, 1>,
      ) => {
        const { probeTcpCommand } = await import("./commands/probe-tcp");
        setExitCode(await probeTcpCommand(target, options, io));
      },
    );

  probe
    .command("firewall")
    .description("allowed ports open, denied ports refused or filtered")
    .argument("<host>", "the host behind the firewall", parseHost)
    .option(
      "--allow <port>",
      "a port that must be open (repeatable)",
      collect(parsePort),
    )
    .option(
      "--deny <port>",
      "a port that must be refused or filtered (repeatable)",
      collect(parsePort),
    )
    .option("--json", "print a cellcert.probe-report/1 document")
    .action(
      async (
        host: string,
        options: OptionsOf<typeof probeFirewallCommand, 1>,
      ) => {
        const { probeFirewallCommand } = await import("./commands/probe-tcp");
        setExitCode(await probeFirewallCommand(host, options, io));
      },
    );
}

function declareProbeOpcua(
  probe: Command,
  { io, setExitCode }: CommandContext,
): void {
  probe
    .command("opcua")
    .description(
      "the MES-PCS OPC UA checks from GetEndpoints on the discovery channel: security modes, policies, anonymous access, user-name tokens, the application certificate",
    )
    .argument(
      "<host:port[/path]>",
      "the server, as HOST:PORT[/PATH] or opc.tcp://HOST:PORT/PATH (IPv6 in brackets; port 4840 when absent)",
      parseOpcuaTarget,
    )
    .option(
      "--ca <file>",
      "trust anchor file for the application certificate, PEM or DER (repeatable); without one, MES-PCS.opcua.cert shows the fingerprint to compare",
      collect(String),
    )
    .option(
      "--crl <file>",
      "certificate revocation list, PEM or DER (repeatable)",
      collect(String),
    )
    .option("--json", "print one cellcert.probe-report/1 document")
    .action(
      async (
        target: OptionsOf<typeof probeOpcuaCommand, 0>,
        options: OptionsOf<typeof probeOpcuaCommand, 1>,
      ) => {
        const { probeOpcuaCommand } = await import("./commands/probe-opcua");
        setExitCode(await probeOpcuaCommand(target, options, io));
      },
    );
}

function declareRun(
  program: Command,
  { io, setExitCode }: CommandContext,
): void {
  program
    .command("run")
    .description(
      "run the checks of a vantage (or all) from this laptop and record the run in the plan",
    )
    .requiredOption("--plan <file>", "the plan (*.cellcert.json)")
    .addOption(
      new Option("--vantage <vantage>", "where the laptop stands").choices(
        vantageIds,
      ),
    )
    .option("--all-vantages", "every vantage of the plan, in walking order")
    .option("--json", `print a ${RUN_REPORT_SCHEMA} document`)
    .action(async (options: OptionsOf<typeof runCommand, 0>) => {
      const { runCommand } = await import("./commands/run");
      setExitCode(await runCommand(options, io));
    });
}

function declareServe(
  program: Command,
  { io, setExitCode }: CommandContext,
): void {
  program
    .command("serve")
    .description(
      "browser mode: the user interface on 127.0.0.1, opened with the printed address",
    )
    .option(
      "--port <n>",
      "port to listen on (default: any free port)",
      parsePort,
    )
    .option(
      "--host <address>",
      "address to listen on; only 127.0.0.1 is accepted",
    )
    .option(
      "--workspace <dir>",
      "folder for plans (default: Cellcert in your documents)",
    )
    .option("--open", "open the address in the default browser")
    .action(async (options: OptionsOf<typeof serve, 0>) => {
      const { serve } = await import("./commands/serve");
      setExitCode(await serve(options, io));
    });
}

function declareCheckPlan(
  program: Command,
  { io, setExitCode }: CommandContext,
): void {
  program
    .command("check-plan")
    .description(
      "validate a plan file: exit 0 when valid, 2 naming the file, the field and the reason",
    )
    .argument("<file>", "the plan (*.cellcert.json)")
    .option("--json", `print a ${CHECK_PLAN_SCHEMA} document`)
    .action(
      async (file: string, options: OptionsOf<typeof checkPlanCommand, 1>) => {
        const { checkPlanCommand } = await import("./commands/check-plan");
        setExitCode(await checkPlanCommand(file, options, io));
      },
    );
}

function declareDemo(
  program: Command,
  { io, setExitCode }: CommandContext,
): void {
  program
    .command("demo")
    .description(
      "serve the practice plant on loopback addresses and write its plan (Ctrl-C stops it)",
    )
    .option(
      "--broken",
      "the plant with planted faults, each failing exactly one check",
    )
    .option(
      "--dir <dir>",
      "where the plan, identities and certificate go",
      "cellcert-demo",
    )
    .option(
      "--port-base <n>",
      `ports are this base plus 80, 318, 443, 1433, 3389, 4840 and 8443 (default ${DEFAULT_PORT_BASE})`,
      parsePort,
    )
    .option(
      "--run",
      "run every vantage, certify and verify, then stop the plant (what `npm run demo` does)",
    )
    .action(async (options: OptionsOf<typeof demo, 0>) => {
      const { demo } = await import("./commands/demo");
      setExitCode(await demo(options, io));
    });
}

function declareCertify(
  program: Command,
  { io, setExitCode }: CommandContext,
): void {
  program
    .command("certify")
    .description(
      "sign the commissioning certificate from the plan's latest runs and record it in the plan (exit 0 nothing failed, 1 a check failed, 2 nothing issued)",
    )
    .requiredOption("--plan <file>", "the plan (*.cellcert.json)")
    .requiredOption(
      "--identity <file>",
      "the engineer's signing identity (PKCS#12, .p12 or .pfx)",
    )
    .requiredOption(
      "--passphrase-env <variable>",
      "the environment variable holding the identity's passphrase",
    )
    .requiredOption("--out <file>", "where to write the signed PDF")
    .option(
      "--tsa <url>",
      "the plant's RFC 3161 time-stamping authority (http://…), asked to time-stamp the signature; the plan's policy.timestampAuthority when not given",
    )
    .action(async (options: OptionsOf<typeof certifyCommand, 0>) => {
      const { certifyCommand } = await import("./commands/certify");
      setExitCode(await certifyCommand(options, io));
    });
}

function declareVerify(
  program: Command,
  { io, setExitCode }: CommandContext,
): void {
  program
    .command("verify")
    .description(
      "check a signed certificate: signature, integrity, its time-stamp, the signer against the commissioning CA and the verdict shown; prints signer, time and the plant verdict (exit 0 valid, 1 invalid or modified, 2 intact but no --ca to check the signer, or unreadable)",
    )
    .argument("<file>", "the certificate PDF")
    .addOption(
      new Option(
        "--ca <file>",
        "a trusted commissioning CA (PEM or DER), or the CA of the plant's time-stamping authority; repeat for several",
      )
        .argParser(collect(String))
        .default([] as string[], "none"),
    )
    .addOption(
      new Option(
        "--crl <file>",
        "a CRL of the commissioning CA (PEM or DER), to check the signer is not revoked; repeat for several",
      )
        .argParser(collect(String))
        .default([] as string[], "none"),
    )
    .option("--json", `print a ${VERIFY_REPORT_SCHEMA} document`)
    .action(
      async (file: string, options: OptionsOf<typeof verifyCommand, 1>) => {
        const { verifyCommand } = await import("./commands/verify");
        setExitCode(await verifyCommand(file, options, io));
      },
    );
}

/** --ca and --crl of a command that reads an earlier certificate, as `verify` takes them (new --from, diff). */
function withTrustOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--ca <file>",
        "a trusted commissioning CA (PEM or DER), to check who signed the certificate; repeat for several",
      )
        .argParser(collect(String))
        .default([] as string[], "none"),
    )
    .addOption(
      new Option(
        "--crl <file>",
        "a CRL of the commissioning CA (PEM or DER); repeat for several",
      )
        .argParser(collect(String))
        .default([] as string[], "none"),
    );
}

function declareNewFrom(
  program: Command,
  { io, setExitCode }: CommandContext,
): void {
  withTrustOptions(
    program
      .command("new")
      .description(
        "a re-audit plan from an earlier certificate: plant, cells, boundaries, endpoints, vantages, trust anchors (no runs, secrets, waivers or attestations); exit 0 written, 2 when the certificate is modified or unreadable",
      )
      .requiredOption("--from <file>", "the earlier certificate PDF")
      .requiredOption(
        "--out <file>",
        `the new plan (*${PLAN_FILE_SUFFIX}); its folder is made when missing, an existing file is never overwritten`,
      ),
  ).action(async (options: OptionsOf<typeof newFromCommand, 0>) => {
    const { newFromCommand } = await import("./commands/new-from");
    setExitCode(await newFromCommand(options, io));
  });
}

function declareDiff(
  program: Command,
  { io, setExitCode }: CommandContext,
): void {
  withTrustOptions(
    program
      .command("diff")
      .description(
        "what changed between two certificates of one plant, from their signed evidence: verdicts, certificates, protocols, suites, ports, endpoints, waivers (exit 0 nothing got worse, 1 something did, 2 a file unreadable or modified)",
      )
      .argument("<old>", "the earlier certificate PDF")
      .argument("<new>", "the later certificate PDF")
      .option("--json", `print a ${DIFF_REPORT_SCHEMA} document`),
  ).action(
    async (
      oldFile: string,
      newFile: string,
      options: OptionsOf<typeof diffCommand, 2>,
    ) => {
      const { diffCommand } = await import("./commands/diff");
      setExitCode(await diffCommand(oldFile, newFile, options, io));
    },
  );
}
