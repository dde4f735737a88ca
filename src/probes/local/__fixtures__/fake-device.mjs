// A fake device for the namespace tests, run with `ip netns exec <ns> node fake-device.mjs '<json>'`.
// Plain JavaScript on purpose: it runs in a namespace without the TypeScript loader.
//   answer:   joins the groups, answers each "CSW-INQUIRY" unicast to its sender with one "CSW-REPLY"
//   flood:    the same, with `count` replies per inquiry
//   announce: sends `count` identical datagrams (`payload`, or "CSW-REPLY announce") to a group, TTL 1, then exits
// Every datagram received is logged on stdout as "GOT <port> <from>" so a test can see what reached it.
import { createSocket } from "node:dgram";

const o = JSON.parse(process.argv[2]);
const log = (s) => process.stdout.write(`${s}\n`);

if (o.mode === "announce") {
  const v6 = o.group.includes(":");
  const s = createSocket(v6 ? "udp6" : "udp4");
  s.bind({ address: o.address, port: 0 }, async () => {
    s.setMulticastInterface(v6 ? `::%${o.ifname}` : o.address);
    s.setMulticastTTL(1);
    const msg = Buffer.from(o.payload ?? `CSW-REPLY announce from ${o.address}`);
    for (let i = 0; i < o.count; i++) {
      await new Promise((r) => s.send(msg, o.port, v6 ? `${o.group}%${o.ifname}` : o.group, r));
      await new Promise((r) => setTimeout(r, 50));
    }
    log("SENT");
    s.close();
  });
} else {
  for (const l of o.listen) {
    const v6 = l.family === "v6";
    const s = createSocket({ type: v6 ? "udp6" : "udp4", reuseAddr: true, ipv6Only: v6 });
    s.on("message", (msg, rinfo) => {
      log(`GOT ${l.port} ${rinfo.address}`);
      if (!msg.toString().startsWith("CSW-INQUIRY")) return;
      const n = o.mode === "flood" ? o.count : 1;
      for (let i = 0; i < n; i++)
        s.send(Buffer.from(`CSW-REPLY ${i} from ${o.address}`), rinfo.port, rinfo.address);
    });
    s.bind({ address: v6 ? "::" : "0.0.0.0", port: l.port }, () => {
      if (l.group) s.addMembership(l.group, v6 ? `::%${o.ifname}` : o.address);
    });
  }
  setTimeout(() => log("READY"), 200);
}
