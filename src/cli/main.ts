import { Command, CommanderError, Option } from "commander";
import { CamsweepError } from "../shared/errors.js";
import { packageVersion } from "../shared/paths.js";
import { auditOptions } from "./audit-flags.js";
import { collect, err, intOption } from "./output.js";

const version = packageVersion();

/** Declares commands and flags only; each action lazily loads its command module. */
export function buildProgram(): Command {
  const program = new Command("camsweep")
    .description(
      "Find, identify and track restricted surveillance devices (Hikvision, Dahua and their relabels).\n" +
        "Scan only networks you are authorized to audit; --allow (or the config file) bounds what may be probed.",
    )
    .version(version)
    .showSuggestionAfterError()
    .exitOverride();

  const formats = (c: Command) =>
    c.option("--json", "JSON Lines, one device per line").option("--csv", "CSV with a header row");
  const dataDir = new Option(
    "--data-dir <dir>",
    "inventory directory (default: $CAMSWEEP_DATA_DIR or the user data dir)",
  );
  const [reason, actor] = auditOptions(); // on every command that changes the inventory

  formats(
    program
      .command("scan")
      .description("probe targets read-only and identify each device that answers")
      .argument("[targets...]", "addresses, CIDRs, ranges (a.b.c.d-e), hostnames")
      .option("--input-list <file>", "read targets from a file, nmap's -iL (repeatable)", collect)
      .option("--exclude <targets>", "targets never to probe, comma-separated (repeatable)", collect)
      .option("--exclude-file <file>", "read exclusions from a file (repeatable)", collect)
      .option("--allow <cidrs>", "only ever probe inside these CIDRs, comma-separated (repeatable)", collect)
      .option("--scope <file>", "scope file: allow and deny lists of the audit (YAML; docs/scanning.md)")
      .option(
        "--config <file>",
        "config file with allow/exclude/ports (default: ~/.config/camsweep/config.yaml)",
      )
      .option("-p, --ports <spec>", "ports, e.g. 80,443,554,8000-8010,20080/http (default: camera ports)")
      .option(
        "-T, --timing <profile>",
        "timing profile T2 (polite) .. T5 (aggressive), nmap style: -T4 (default T3)",
        (v: string) => (/^[0-9]$/.test(v) ? `T${v}` : v),
      )
      .option(
        "--concurrency <n>",
        "hosts probed at once (default: the profile's)",
        intOption("--concurrency", 1, 65536),
      )
      .option(
        "--max-rate <n>",
        "new connections and datagrams per second, at most",
        intOption("--max-rate", 1, 1000000),
      )
      .option(
        "--connect-timeout <ms>",
        "fixed TCP connect timeout (default: adapted to measured round trips)",
        intOption("--connect-timeout", 10, 60000),
      )
      .option(
        "--timeout <ms>",
        "read timeout per reply (default: the profile's)",
        intOption("--timeout", 10, 120000),
      )
      .option(
        "--max-retries <n>",
        "extra connect attempts for silent ports",
        intOption("--max-retries", 0, 10),
      )
      .option(
        "--assume-up",
        "treat every address as up: ask all its ports at once, and send the UDP inquiries even where TCP stays silent (nmap -Pn)",
      )
      .option(
        "--max-hosts <n>",
        "refuse target sets larger than this",
        intOption("--max-hosts", 1, 16777216),
        65536,
      )
      .option(
        "--credentials <file>",
        "authorized read-only credentials by scope (YAML, mode 600; or $CAMSWEEP_CREDENTIALS, $CAMSWEEP_USERNAME/$CAMSWEEP_PASSWORD); never give a password on the command line",
      )
      .option("--dry-run", "print what would be probed and how many packets, send nothing")
      .option(
        "--resume [scan-id]",
        "continue an interrupted scan (default: the latest) without probing a finished host again",
      )
      .option("--no-udp", "skip the unicast discovery probes (SADP, WS-Discovery, DHIP, SSDP)")
      .option(
        "--local",
        "also send the discovery inquiries as multicast/broadcast on --interface (the segment's cameras answer with model, serial, MAC); with no targets, scans the interface's IPv4 subnets",
      )
      .option("--interface <name>", "the interface --local sends on (e.g. eth0); nothing goes out elsewhere")
      .option(
        "--neighbours <file>",
        "MAC addresses from a neighbour table taken on the segment (Windows arp -a, Get-NetNeighbor, ip neigh)",
      )
      .option("--save-observations <file>", "write every observation as JSON Lines")
      .option("--no-store", "do not record the results in the inventory")
      .option("--no-progress", "no progress bar")
      .option("--no-summary", "no summary after the table")
      .addOption(dataDir)
      .addOption(reason)
      .addOption(actor),
  ).action(async (targets: string[], flags) => {
    if (targets.length === 0 && !flags.inputList && !flags.resume && !flags.local)
      throw new CommanderError(
        2,
        "camsweep.noTargets",
        "error: no targets given (addresses, CIDRs, ranges, hostnames or -iL FILE)",
      );
    const { scan } = await import("./commands/scan.js");
    process.exitCode = await scan(targets, flags);
  });

  formats(
    program
      .command("identify")
      .description(
        "identify devices from saved observations (JSON, a JSON array, JSON Lines, nmap -oX or -oN output; - for stdin)",
      )
      .argument("<file>")
      .option(
        "--explain",
        "say for each device why it was judged as it was: evidence, conflicts, what was not read",
      )
      .option("--no-summary", "no summary after the table"),
  ).action(async (file: string, flags) => {
    const { identifyCommand } = await import("./commands/identify.js");
    process.exitCode = await identifyCommand(file, flags);
  });

  formats(
    program
      .command("devices")
      .description("list the inventory")
      .option("--restricted", "only restricted devices")
      .option("--site <id>", "only the devices of this site")
      .option("--org <id>", "only the devices of this organization's sites")
      .option("--manufacturer <slug>", "only this manufacturer (e.g. hikvision)")
      .option("--explain", "say for each device why it was judged as it was")
      .option(
        "--limit <n>",
        "at most n devices: a page (the next one's --after is printed on stderr)",
        intOption("--limit", 1, 1_000_000_000),
      )
      .option("--after <cursor>", "the page after this cursor (printed by an earlier --limit)")
      .addOption(dataDir),
  ).action(async (flags) => {
    const { devicesCommand } = await import("./commands/devices.js");
    process.exitCode = await devicesCommand(flags);
  });

  formats(
    program
      .command("listen")
      .description(
        "record what devices on one interface announce by themselves (SADP, WS-Discovery Hello, DHIP, SSDP NOTIFY), sending nothing",
      )
      .requiredOption("--interface <name>", "the network interface to listen on, e.g. eth0")
      .option(
        "--duration <time>",
        "how long: 30s, 10m, 1h or seconds; Ctrl-C ends early and keeps what was heard",
        "10m",
      )
      .option(
        "--protocols <ids>",
        "only these, comma-separated: sadp,wsd,dhip,dhip-legacy,ssdp (repeatable)",
        collect,
      )
      .option("--no-store", "do not record what was heard in the inventory")
      .option("--no-summary", "no summary after the table")
      .addOption(dataDir)
      .addOption(reason)
      .addOption(actor),
  ).action(async (flags) => {
    const { listenCommand } = await import("./commands/listen.js");
    process.exitCode = await listenCommand(flags);
  });

  program
    .command("import")
    .description(
      "read what an organization already has into the inventory: scanner output, DHCP leases, neighbour tables, asset lists, DNS logs (--formats lists them)",
    )
    .argument("[format]", "the file's format (camsweep import --formats)")
    .argument("[file]", "the file")
    .option("--formats", "list the formats")
    .option(
      "--site <id>",
      "every record belongs to this site (else: the site whose segment holds its address)",
    )
    .option("--strict", "import nothing if any row is bad (default: skip bad rows and say how many)")
    .option("--columns <map>", 'asset lists: FIELD=COLUMN pairs, e.g. address="IP Addr",serial=S/N')
    .option("--batch <n>", "records per transaction", intOption("--batch", 1, 1000000))
    .option("--progress", "say on stderr after each committed batch how far the import got")
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (format: string | undefined, file: string | undefined, flags) => {
      const { formatList, importCommand } = await import("./commands/import.js");
      if (flags.formats) {
        console.log(formatList());
        return;
      }
      if (!format || !file)
        throw new CommanderError(
          2,
          "camsweep.importArgs",
          "error: give FORMAT and FILE (camsweep import --formats lists the formats)",
        );
      process.exitCode = await importCommand(format, file, flags);
    });

  const org = program.command("org").description("organizations: who owns the sites and devices");
  org
    .command("add")
    .argument("<id>", "a short id (lower-case letters, digits, -)")
    .requiredOption("--name <name>", "its name")
    .requiredOption(
      "--type <type>",
      "federal-department, agency, crown-corporation, provincial, municipal or private",
    )
    .requiredOption("--jurisdiction <code>", "ISO 3166: CA, CA-QC, US ...")
    .option("--parent <id>", "the organization it belongs to")
    .option(
      "--sector <sectors>",
      "what it does, for rules that bind by activity: telecom-service-provider, equipment-supplier, " +
        "us-federal-contractor, us-federal-grant-recipient, us-usf-recipient (comma-separated, repeatable)",
      collect,
    )
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (id: string, flags) => {
      const { orgAdd } = await import("./commands/orgs.js");
      process.exitCode = await orgAdd(id, flags);
    });
  org
    .command("list")
    .option("--json", "JSON Lines")
    .addOption(dataDir)
    .action(async (flags) => {
      const { orgList } = await import("./commands/orgs.js");
      process.exitCode = await orgList(flags);
    });
  const site = program.command("site").description("sites and the network segments on them");
  site
    .command("add")
    .argument("<id>", "a short id (lower-case letters, digits, -)")
    .requiredOption("--org <id>", "the organization it belongs to")
    .requiredOption("--name <name>", "its name")
    .option("--address <text>", "postal address")
    .option("--criticality <level>", "low, normal, high or critical", "normal")
    .option("--segment <cidrs>", "its network segments, comma-separated (repeatable)", collect)
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (id: string, flags) => {
      const { siteAdd } = await import("./commands/orgs.js");
      process.exitCode = await siteAdd(id, flags);
    });
  site
    .command("segment")
    .description("map more network segments to a site (the same private range may belong to many sites)")
    .argument("<site>", "the site")
    .argument("<cidrs...>", "CIDRs")
    .option("--name <name>", "a name for them (a VLAN)")
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (siteId: string, cidrs: string[], flags) => {
      const { segmentAdd } = await import("./commands/orgs.js");
      process.exitCode = await segmentAdd(siteId, cidrs, flags);
    });
  site
    .command("list")
    .option("--org <id>", "only this organization's")
    .option("--json", "JSON Lines")
    .addOption(dataDir)
    .action(async (flags) => {
      const { siteList } = await import("./commands/orgs.js");
      process.exitCode = await siteList(flags);
    });

  program
    .command("assess")
    .description(
      "judge every device: which policy packs bind its owner, its known vulnerabilities (KEV), its risk; " +
        "writes the verdicts to the inventory",
    )
    .option("--org <id>", "only this organization's devices")
    .option(
      "--policy <ids>",
      "apply only these policy packs, comma-separated (repeatable; default: all)",
      collect,
    )
    .option(
      "--policy-dir <dir>",
      "also apply the packs in this folder (repeatable; <data-dir>/policy-packs is read too)",
      collect,
    )
    .option("--as-of <date>", "compare KEV due dates with this day (YYYY-MM-DD; default today)")
    .option(
      "--verify",
      "also confirm CVE-2017-7921 by one read-only request per device (needs --scope with a verify authorization)",
    )
    .option("--scope <file>", "the scope file authorizing --verify (allow list and a verify section)")
    .option("--config <file>", "config file whose allow list also bounds --verify")
    .option("--json", "the run's summary as one JSON document")
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (flags) => {
      const { assessCommand } = await import("./commands/assess.js");
      process.exitCode = await assessCommand(flags);
    });
  program
    .command("status")
    .description(
      "compliance per organization and site from the latest verdicts; exit 3 while prohibited devices remain, " +
        "4 when some devices are not assessed, 0 otherwise",
    )
    .option("--org <id>", "only this organization")
    .option("--devices", "also list the devices needing attention, riskiest first, with each verdict's chain")
    .option(
      "--limit <n>",
      "at most this many devices with --devices (default 50)",
      intOption("--limit", 1, 100000),
    )
    .option("--as-of <date>", "judge exceptions as current on this day (YYYY-MM-DD; default today, UTC)")
    .option("--json", "one JSON document")
    .addOption(dataDir)
    .action(async (flags) => {
      const { statusCommand } = await import("./commands/status.js");
      process.exitCode = await statusCommand(flags);
    });
  const device = program.command("device").description("statements about devices");
  device
    .command("exposure")
    .description("state whether devices are reachable from the internet (a risk factor of assess)")
    .argument("[devices...]", "device ids or addresses")
    .option("--from <file>", "also the devices listed in this file, one id or address per line (# comments)")
    .option("--internet", "reachable from the internet")
    .option("--not-internet", "checked, and not reachable")
    .option("--unknown", "forget what was stated")
    .option("--source <text>", "who or what established it (a perimeter scan, a firewall review)")
    .option("--site <id>", "only devices on this site (the same private address may be on many)")
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (names: string[], flags) => {
      const { exposureCommand } = await import("./commands/exposure.js");
      process.exitCode = await exposureCommand(names, flags);
    });

  program
    .command("plan")
    .description(
      "phased, costed replacement plan of the devices the latest verdicts say must go, grouped by site (docs/plan.md)",
    )
    .option("--phases <n>", "how many phases (default 3)")
    .option(
      "--budget <amount>",
      "total budget over all phases, in the cost model's currency (default unlimited)",
    )
    .option("--start <date>", "first day of phase 1 (YYYY-MM-DD; default today)")
    .option("--phase-days <n>", "days per phase (default 90)")
    .option("--org <id>", "only this organization's devices")
    .option("--advisory", "also devices only advised against")
    .option("--cost-model <file>", "your prices (a copy of knowledge/cost-model.yaml)")
    .option("--save", "keep the plan for reports (plan vs actual, burn-down); audited")
    .option("--json", "the plan as JSON")
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (flags) => {
      const { planCommand } = await import("./commands/plan.js");
      process.exitCode = await planCommand(flags);
    });
  program
    .command("report")
    .description(
      "compliance report (HTML, PDF; English or French) or export (CSV, XLSX, CycloneDX, NetBox CSV) of the inventory",
    )
    .option("--format <format>", "html, pdf, csv, xlsx, cyclonedx or netbox (default html)")
    .option("--lang <lang>", "en, fr or bilingual (one document, English then French; default en)")
    .option("--org <id>", "only this organization")
    .option("--out <file>", "write to this file (required for pdf and xlsx; default: standard output)")
    .option("--as-of <date>", "the day the report speaks for: exceptions current on it (default today, UTC)")
    .addOption(dataDir)
    .action(async (flags) => {
      const { reportCommand } = await import("./commands/report.js");
      process.exitCode = await reportCommand(flags);
    });
  program
    .command("screen")
    .description(
      "screen a purchase order, catalogue or bill of materials (CSV, XLSX), or one --product, before anyone buys",
    )
    .argument("[file]", "the CSV or XLSX file")
    .option("--product <text>", 'one product as written ("LTS CMIP3042W-28M")')
    .option("--columns <map>", 'which column holds what: "model=Part No,manufacturer=Mfr,description=Item"')
    .option("--sheet <name>", "the worksheet to read (XLSX; default: the first with a header)")
    .option(
      "--org <id>",
      "the buyer: its policies and its allow/block lists (default: every policy as binding)",
    )
    .option(
      "--format <format>",
      "table, jsonl, or csv (the file's columns with the verdict added; default table)",
    )
    .option("--out <file>", "write there instead of standard output")
    .option("--strict", "exit 4 when a line needs attestation (3 when one is prohibited, always)")
    .option("--policy-dir <dir>", "more policy packs to apply (repeatable)", collect)
    .option("--policy <ids>", "apply only these packs, comma-separated (repeatable)", collect)
    .addOption(dataDir)
    .action(async (file: string | undefined, flags) => {
      const { screenCommand } = await import("./commands/screen.js");
      process.exitCode = await screenCommand(file, flags);
    });
  const productList = program
    .command("product-list")
    .description("an organization's approved (allow) and refused (block) products: they override `screen`");
  for (const kind of ["allow", "block"] as const)
    productList
      .command(kind)
      .description(`add a${kind === "allow" ? "n approved" : " refused"} product`)
      .option("--model <model>", "the model number, exactly (case, spaces and punctuation aside)")
      .option("--sku <sku>", "the SKU column, exactly")
      .option("--maker <slug>", "every product of a maker (vocabulary slug or the maker column as written)")
      .option("--text <words>", "these words anywhere in the line")
      .option("--org <id>", "the organization it holds for (default: every buyer)")
      .addOption(dataDir)
      .addOption(reason)
      .addOption(actor)
      .action(async (flags) => {
        const { productListAdd } = await import("./commands/product-list.js");
        process.exitCode = await productListAdd(kind, flags);
      });
  productList
    .command("remove")
    .description("take an entry out of force (it stays on record)")
    .argument("<id>", "the entry's number")
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (id: string, flags) => {
      const { productListRemove } = await import("./commands/product-list.js");
      process.exitCode = await productListRemove(id, flags);
    });
  productList
    .command("show")
    .description("the entries in force")
    .option("--org <id>", "this organization's and the ones for every buyer")
    .option("--json", "JSON Lines")
    .addOption(dataDir)
    .action(async (flags) => {
      const { productListShow } = await import("./commands/product-list.js");
      process.exitCode = await productListShow(flags);
    });
  const remediate = program
    .command("remediate")
    .description(
      "the removal workflow: confirm, schedule, isolate, remove, sanitize, close (docs/remediation.md)",
    );
  const stepHelp: Record<string, string> = {
    confirm: "confirm on site that identified devices are what camsweep says",
    schedule: "schedule confirmed devices for removal on a day (--on)",
    isolate: "record that scheduled devices were cut off the network ahead of removal (optional)",
    remove: "record devices physically removed (--storage none: no footage medium found on it)",
    close: "close removed devices: a device that stores footage needs its sanitization recorded first",
  };
  for (const [verb, help] of Object.entries(stepHelp)) {
    const c = remediate
      .command(verb)
      .description(help)
      .argument("[devices...]", "device ids or addresses (all must be able to take the step, or none does)")
      .option("--site <id>", "every device of this site that can take the step (or narrows addresses)")
      .option("--org <id>", "every device of this organization that can take the step")
      .option("--manufacturer <name>", "select (or narrow --site/--org to) devices of this maker")
      .option("--type <type>", "select devices of this type (camera, nvr, dvr, ...)")
      .option("--state <state>", "select devices in this workflow state (identified ... reopened)")
      .option("--evidence <file>", "a file backing the step (photo, work order); repeatable", collect);
    if (verb === "schedule") c.option("--on <date>", "the day planned (YYYY-MM-DD)");
    else c.option("--date <date>", "the day it happened (YYYY-MM-DD; default today)");
    if (verb === "remove" || verb === "close")
      c.option("--storage <kind>", "what was found: present (disks, SD card), none, unknown");
    c.addOption(dataDir)
      .addOption(reason)
      .addOption(actor)
      .action(async (names: string[], flags) => {
        const { stepCommand } = await import("./commands/remediate.js");
        process.exitCode = await stepCommand(verb, names, flags);
      });
  }
  remediate
    .command("sanitize")
    .description(
      "record how one footage medium of a removed device was sanitized (NIST SP 800-88, ITSP.40.006)",
    )
    .argument("<device>", "device id or address")
    .option("--site <id>", "the site, when the address is on several")
    .option("--medium <text>", 'which medium ("HDD 4 TB, serial WD-WX12345", "microSD 128 GB")')
    .option("--method <method>", "clear, purge or destroy (NIST SP 800-88 Rev. 1)")
    .option("--technique <text>", 'how ("overwrite, 1 pass", "degauss", "shred 2 mm")')
    .option("--date <date>", "the day it was done (YYYY-MM-DD; default today)")
    .option("--by <name>", "who did it (a person, a contractor)")
    .option("--certificate <ref>", "the certificate of sanitization or destruction")
    .option("--evidence <file>", "the certificate or a photo; repeatable", collect)
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (name: string, flags) => {
      const { sanitizeCommand } = await import("./commands/remediate.js");
      process.exitCode = await sanitizeCommand(name, flags);
    });
  remediate
    .command("show")
    .description("one device's workflow: state, steps, sanitization, evidence (with hashes), exceptions")
    .argument("<device>", "device id or address")
    .option("--site <id>", "the site, when the address is on several")
    .option("--json", "as JSON")
    .addOption(dataDir)
    .action(async (name: string, flags) => {
      const { showCommand } = await import("./commands/remediate.js");
      process.exitCode = await showCommand(name, flags);
    });
  remediate
    .command("list")
    .description(
      "devices in the workflow by state (identified: verdict prohibited or advisory, not yet touched)",
    )
    .option("--state <state>", "only this state (identified ... closed, reopened)")
    .option("--site <id>", "only this site")
    .option("--org <id>", "only this organization")
    .option("--limit <n>", "at most this many (default 1000)", intOption("--limit", 1, 1000000))
    .option("--json", "JSON Lines")
    .addOption(dataDir)
    .action(async (flags) => {
      const { listCommand } = await import("./commands/remediate.js");
      process.exitCode = await listCommand(flags);
    });
  const exception = program
    .command("exception")
    .description("exceptions: a prohibited device allowed to stay until a date, under compensating controls");
  exception
    .command("request")
    .argument("<device>", "device id or address")
    .option("--site <id>", "the site, when the address is on several")
    .option("--justification <text>", "why the device must stay for now")
    .option(
      "--control <text>",
      "a compensating control in force (network isolation, ...); repeatable",
      collect,
    )
    .option("--until <date>", "the last day it covers (YYYY-MM-DD)")
    .option("--evidence <file>", "a file backing the request; repeatable", collect)
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (name: string, flags) => {
      const { requestCommand } = await import("./commands/exception.js");
      process.exitCode = await requestCommand(name, flags);
    });
  for (const decision of ["approve", "reject", "revoke"] as const) {
    const c = exception
      .command(decision)
      .description(
        decision === "approve"
          ? "approve a requested exception (not by its requester); --until may shorten its term"
          : decision === "reject"
            ? "reject a requested exception"
            : "end an approved exception before its term",
      )
      .argument("<number>", "the exception's number")
      .option("--note <text>", "the decision's reasons (required)");
    if (decision === "approve") c.option("--until <date>", "a shorter term than requested");
    c.addOption(dataDir)
      .addOption(reason)
      .addOption(actor)
      .action(async (id: string, flags) => {
        const { decideCommand } = await import("./commands/exception.js");
        process.exitCode = await decideCommand(decision, id, flags);
      });
  }
  exception
    .command("list")
    .description("open exceptions (requested, approved and current); --all for every one")
    .option("--all", "also rejected, revoked and expired ones")
    .option("--as-of <date>", "judge expiry on this day (default today, UTC)")
    .option("--json", "JSON Lines")
    .addOption(dataDir)
    .action(async (flags) => {
      const { listExceptionsCommand } = await import("./commands/exception.js");
      process.exitCode = await listExceptionsCommand(flags);
    });
  program
    .command("evidence")
    .description("evidence files kept in the inventory by SHA-256")
    .command("get")
    .description("write a stored evidence file out, its hash checked")
    .argument("<sha256>", "the file's SHA-256 (camsweep remediate show lists them)")
    .option("--out <file>", "where to write it (not overwritten if it exists)")
    .addOption(dataDir)
    .action(async (sha: string, flags) => {
      const { evidenceGetCommand } = await import("./commands/remediate.js");
      process.exitCode = await evidenceGetCommand(sha, flags);
    });

  program
    .command("scans")
    .description("list the inventory's scans, newest first, with how far each got (for scan --resume)")
    .option("--json", "JSON Lines, one scan per line")
    .addOption(dataDir)
    .action(async (flags) => {
      const { scansCommand } = await import("./commands/scans.js");
      process.exitCode = await scansCommand(flags);
    });

  const audit = program
    .command("audit")
    .description("the inventory's tamper-evident audit log (docs/inventory.md)");
  audit
    .command("verify")
    .description("check the hash chain: names the first altered, missing or reordered entry; prints the head")
    .option("--expect-head <seq:hash>", "a head noted earlier: also detects entries cut off after it")
    .option("--json", "the result as one JSON object")
    .addOption(dataDir)
    .action(async (flags) => {
      const { auditVerifyCommand } = await import("./commands/audit.js");
      process.exitCode = await auditVerifyCommand(flags);
    });
  audit
    .command("log")
    .description("the newest audit entries, newest first")
    .option("--limit <n>", "how many (default 50)", intOption("--limit", 1, 1000000))
    .option("--json", "JSON Lines, with each entry's data and hashes")
    .addOption(dataDir)
    .action(async (flags) => {
      const { auditLogCommand } = await import("./commands/audit.js");
      process.exitCode = await auditLogCommand(flags);
    });

  program
    .command("export")
    .description("write the whole inventory as JSON Lines (for camsweep restore)")
    .argument("[file]", "the file to write, or - for standard output (default)")
    .option("--force", "replace an existing file")
    .addOption(dataDir)
    .action(async (file: string | undefined, flags) => {
      const { exportCommand } = await import("./commands/export.js");
      process.exitCode = await exportCommand(file, flags);
    });
  program
    .command("restore")
    .description("load an export into an empty inventory, all or nothing; the audit chain must verify")
    .argument("<file>", "the export, or - for standard input")
    .addOption(dataDir)
    .action(async (file: string, flags) => {
      const { restoreCommand } = await import("./commands/restore.js");
      process.exitCode = await restoreCommand(file, flags);
    });

  const labOptions = (c: Command) =>
    c
      .option("--range <cidr>", "loopback range for the simulated devices (inside 127.0.0.0/8)")
      .option("--personas <ids>", "only these personas, comma-separated (repeatable)", collect)
      .option(
        "--port-offset <n>",
        "add N to every port (default: only if low ports cannot be bound)",
        intOption("--port-offset", 0, 60000),
      );

  labOptions(
    program
      .command("lab")
      .description(
        "run simulated devices until Ctrl-C: on loopback (default 127.77.0.0/24), with --netns behind " +
          "network namespaces with a real round trip, or with --segment on one bridged segment for local " +
          "discovery (root, Linux)",
      )
      .option(
        "--devices <n>",
        "how many devices (drawn from the site mix unless --personas)",
        intOption("--devices", 1, 65534),
      )
      .option("--mix <file>", "persona mix with weights (default lab/mixes/site.yaml)")
      .option(
        "--seed <n>",
        "seed for the mix order, spread addresses and filtered hosts",
        intOption("--seed", 0, 2 ** 31),
      )
      .option("--spread", "scatter the devices across the range instead of packing them from its start")
      .option("--truth <file>", "write what is where as JSON Lines {address, persona, expect, filtered}")
      .option("--netns", "run the devices in a namespace of their own, reached from namespace csw-scan")
      .option(
        "--rtt <ms>",
        "--netns: round-trip time added by the link (default 20)",
        intOption("--rtt", 0, 10000),
      )
      .option("--loss <percent>", "--netns: packets lost each way, percent (default 0)", parseFloat)
      .option("--filtered <n|pct%>", "--netns: devices behind a firewall that drops everything silently")
      .option("--netns-prefix <name>", "--netns: namespace names <name>-lab and <name>-scan (default csw)")
      .option(
        "--segment",
        "one Ethernet segment for local discovery: a device namespace per device on a bridge, scanned from " +
          "namespace cswseg-seg (root, Linux)",
      )
      .option("--prefix <name>", "--segment: namespace names <name>-seg and <name>-d<k> (default cswseg)")
      .option(
        "--announce <seconds>",
        "--segment: devices announce themselves this often",
        intOption("--announce", 1, 3600),
      )
      .option("--discovery-only", "--segment: devices serve only UDP discovery and the ONVIF SOAP port")
      .addOption(new Option("--multicast").hideHelp())
      .addOption(
        new Option("--announce-every <ms>").hideHelp().argParser(intOption("--announce-every", 100, 3600000)),
      )
      .addOption(new Option("--segment-device <namespace>").hideHelp())
      .addOption(new Option("--persona-dir <dir>").hideHelp())
      .addOption(new Option("--inside <namespace>").hideHelp()),
  ).action(async (flags) => {
    const { labCommand } = await import("./commands/lab.js");
    process.exitCode = await labCommand(flags);
  });

  formats(
    labOptions(
      program
        .command("demo")
        .description("start the lab, scan it, print the devices and a summary, stop the lab")
        .addOption(
          new Option("--data-dir <dir>", "keep the demo inventory here (default: a temporary directory)"),
        ),
    ),
  ).action(async (flags) => {
    const { demoCommand } = await import("./commands/demo.js");
    process.exitCode = await demoCommand(flags);
  });

  program
    .command("serve")
    .description("serve the REST API over the inventory (OpenAPI at /api/docs; docs/server.md)")
    .option("--port <port>", "TCP port (default 8080)", intOption("--port", 0, 65535))
    .option("--host <address>", "address to listen on (default 127.0.0.1: this machine only)")
    .option(
      "--allow <cidrs>",
      "scans started from the web stay inside these CIDRs, comma-separated (repeatable; none: no web scans)",
      collect,
    )
    .option("--config <file>", "config file whose allow-list, exclusions and ports web scans follow")
    .addOption(dataDir)
    .action(async (flags) => {
      const { serveCommand } = await import("./commands/serve.js");
      process.exitCode = await serveCommand(flags);
    });
  const user = program.command("user").description("the server's accounts (the first admin is made here)");
  user
    .command("add")
    .argument("<name>", "the login name")
    .option("--role <role>", "admin, program-manager, auditor (of one --org) or viewer")
    .option("--org <id>", "the organization an auditor or viewer acts for")
    .description("add a user; the password is read from standard input")
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (name: string, flags) => {
      const { userAdd } = await import("./commands/users.js");
      process.exitCode = await userAdd(name, flags);
    });
  user
    .command("list")
    .description("the users, their roles and organizations")
    .option("--json", "JSON Lines")
    .addOption(dataDir)
    .action(async (flags) => {
      const { userList } = await import("./commands/users.js");
      process.exitCode = await userList(flags);
    });
  const token = program.command("token").description("API tokens: shown once, kept hashed, revocable");
  token
    .command("create")
    .description("create a token for a user and print it once")
    .option("--user <name>", "whose token")
    .option("--scope <scope>", "read (default) or write")
    .option("--name <name>", "what it is for (ci, dashboard ...)")
    .option("--expires <date>", "the day it stops working (YYYY-MM-DD)")
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (flags) => {
      const { tokenCreate } = await import("./commands/users.js");
      process.exitCode = await tokenCreate(flags);
    });
  token
    .command("revoke")
    .argument("<id>", "the token's id (printed when it was made)")
    .description("revoke a token at once")
    .addOption(dataDir)
    .addOption(reason)
    .addOption(actor)
    .action(async (id: string, flags) => {
      const { tokenRevoke } = await import("./commands/users.js");
      process.exitCode = await tokenRevoke(id, flags);
    });

  const kb = program.command("kb").description("the knowledge base");
  kb.command("verify")
    .description("check every fingerprint, its examples and the vocabulary")
    .argument("[dir]", "knowledge directory (default: the bundled one)")
    .action(async (dir?: string) => {
      const { kbVerifyCommand } = await import("./commands/kb.js");
      process.exitCode = await kbVerifyCommand(dir);
    });
  kb.command("accuracy")
    .description("identify every case of a corpus of real captures and print recall, precision and misses")
    .argument("[paths...]", "corpus files or directories (docs/corpus.md; default: the bundled corpus)")
    .option("--json", "the figures and misses as one JSON object")
    .action(async (paths: string[], flags: { json?: boolean }) => {
      const { kbAccuracyCommand } = await import("./commands/kb.js");
      process.exitCode = await kbAccuracyCommand(paths, flags);
    });
  kb.command("screen-accuracy")
    .description("screen every line of the procurement corpus and print recall, precision and each miss")
    .argument("[dir]", "corpus directory (docs/procurement-corpus.md; default: the bundled one)")
    .option("--json", "the figures and misses as one JSON object")
    .action(async (dir: string | undefined, flags: { json?: boolean }) => {
      const { kbScreenAccuracyCommand } = await import("./commands/kb.js");
      process.exitCode = await kbScreenAccuracyCommand(dir, flags);
    });
  kb.command("update")
    .description(
      "refresh the vulnerability data from CISA KEV / NVD CVE 2.0 feed files, offline; report what changed " +
        "and write the updated copy to the data directory (docs/vulnerabilities.md)",
    )
    .option("--kev <file>", "CISA KEV catalogue JSON (known_exploited_vulnerabilities.json)")
    .option("--nvd <file>", "NVD CVE API 2.0 response JSON (one page of /rest/json/cves/2.0)")
    .option("--dry-run", "report what would change; write nothing")
    .option("--json", "the result as one JSON object")
    .addOption(dataDir)
    .action(async (flags) => {
      const { kbUpdateCommand } = await import("./commands/kb-update.js");
      process.exitCode = await kbUpdateCommand(flags);
    });

  return program;
}

/** nmap's multi-letter short flags, which commander cannot declare. */
const NMAP_WORDS: Record<string, string> = { "-iL": "--input-list", "-Pn": "--assume-up" };

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.configureOutput({ writeErr: (s) => err(s.trimEnd()) });
  try {
    // nmap's two-letter -iL is not a commander short flag.
    await program.parseAsync(argv.map((a) => NMAP_WORDS[a] ?? a));
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      )
        return 0;
      if (e.code === "camsweep.noTargets") err(`camsweep: ${e.message.replace(/^error: /, "")}`);
      return 2; // commander already printed its message (unknown option, missing argument, ...)
    }
    if (e instanceof CamsweepError) {
      err(`camsweep: ${e.message}`);
      return e.exitCode;
    }
    err(`camsweep: internal error: ${(e as Error)?.stack ?? e}`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
