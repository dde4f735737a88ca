import { describe, expect, it } from "vitest";
import { channelParts, parseChannelList } from "./channels.js";
import { redactPasswordElements, scrubResponse } from "./scrub.js";

const LIST = `<?xml version="1.0" encoding="UTF-8"?>
<InputProxyChannelList version="2.0" size="1" xmlns="http://www.isapi.org/ver20/XMLSchema">
<InputProxyChannel><id>1</id><name>Gate</name><sourceInputPortDescriptor>
<proxyProtocol>HIKVISION</proxyProtocol><ipAddress>192.168.254.2</ipAddress><managePortNo>8000</managePortNo>
<userName>admin</userName><password>cam-secret</password>
<model>DS-2CD2320D-I</model><serialNumber>DS-2CD2320D-I20180919AACHC52930001</serialNumber>
<firmwareVersion>V5.5.82 build 190909</firmwareVersion></sourceInputPortDescriptor></InputProxyChannel>
<InputProxyChannel><id>2</id><sourceInputPortDescriptor><ipAddress>192.168.254.3</ipAddress></sourceInputPortDescriptor></InputProxyChannel>
<InputProxyChannel><id>3</id><sourceInputPortDescriptor><ipAddress>0.0.0.0</ipAddress></sourceInputPortDescriptor></InputProxyChannel>
<InputProxyChannel><id>4</id><sourceInputPortDescriptor><addressingFormatType>hostname</addressingFormatType><hostName>cam.local</hostName></sourceInputPortDescriptor></InputProxyChannel>
<InputProxyChannel><id>5</id><sourceInputPortDescriptor><ipAddress>999.1.1.1</ipAddress></sourceInputPortDescriptor></InputProxyChannel>
</InputProxyChannelList>`;

describe("NVR channel list", () => {
  it("keeps each camera with a literal address; every element is counted, not the size attribute", () => {
    const ch = parseChannelList(LIST);
    expect(ch.map((c) => c.address)).toEqual(["192.168.254.2", "192.168.254.3"]);
    expect(ch[0]).toMatchObject({ id: "1", name: "Gate" });
    expect(Object.fromEntries(ch[0]?.fields ?? [])).toMatchObject({
      model: "DS-2CD2320D-I",
      serialNumber: "DS-2CD2320D-I20180919AACHC52930001",
      firmwareVersion: "V5.5.82 build 190909",
    });
    expect(ch[1]?.fields).toEqual([["ipAddress", "192.168.254.3"]]);
  });

  it("never carries the camera account into an observation", () => {
    const parts = channelParts(parseChannelList(LIST), "10.0.0.5", "http", {
      status: 200,
      headers: [],
      body: LIST,
    });
    expect(parts.map((p) => p.target)).toEqual(["192.168.254.2", "192.168.254.3"]);
    expect(parts[0]?.request).toMatchObject({ via: "10.0.0.5", channel: "1", auth: "digest" });
    expect(parts[0]?.port).toBeUndefined();
    const text = JSON.stringify(parts);
    expect(text).not.toContain("cam-secret");
    expect(text).not.toContain("userName");
    expect(text).toContain("<model>DS-2CD2320D-I</model>");
    // The recorder's own copy of the list is kept, its stored passwords emptied.
    expect(redactPasswordElements(LIST)).not.toContain("cam-secret");
    expect(scrubResponse({ status: 200, headers: [], body: LIST }, []).body).toContain(
      "<password>[redacted]</password>",
    );
  });

  it("reads hostile lists safely", () => {
    expect(parseChannelList('<!DOCTYPE x [<!ENTITY e "192.168.254.9">]><InputProxyChannelList/>')).toEqual(
      [],
    );
    expect(parseChannelList("not xml")).toEqual([]);
    expect(
      parseChannelList(
        "<InputProxyChannelList><InputProxyChannel>x</InputProxyChannel></InputProxyChannelList>",
      ),
    ).toEqual([]);
    const many = `<InputProxyChannelList>${"<InputProxyChannel><sourceInputPortDescriptor><ipAddress>10.0.0.1</ipAddress></sourceInputPortDescriptor></InputProxyChannel>".repeat(400)}</InputProxyChannelList>`;
    expect(parseChannelList(many).length).toBeLessThanOrEqual(256);
    const name = `<InputProxyChannelList><InputProxyChannel><name>&lt;b&gt;${"n".repeat(5000)}</name><sourceInputPortDescriptor><ipAddress>10.0.0.1</ipAddress></sourceInputPortDescriptor></InputProxyChannel></InputProxyChannelList>`;
    const [c] = parseChannelList(name);
    expect(c?.name?.length).toBeLessThanOrEqual(256);
    const [p] = channelParts(parseChannelList(name), "10.0.0.5", "http", {
      status: 200,
      headers: [],
      body: "",
    });
    expect(p?.response && "body" in p.response ? p.response.body : "").toContain("&lt;b&gt;");
  });
});
