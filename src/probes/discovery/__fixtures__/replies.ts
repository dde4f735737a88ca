/** Real-shaped discovery replies for tests (shapes from protocols.md; the SSDP reply after UDA 1.1 §1.3.3). */
// protocols.md §1.3 (a DS-2CD2320D-I, trimmed)
export const PROBE_MATCH =
  '<?xml version="1.0" encoding="UTF-8"?>\r\n<ProbeMatch><Uuid>F93CF8DC-DF53-424B-98A7-9FC0536E1083</Uuid><Types>inquiry</Types>' +
  "<DeviceType>142378</DeviceType><DeviceDescription>DS-2CD2320D-I</DeviceDescription>" +
  "<DeviceSN>DS-2CD2320D-I20180919AACHC52932642</DeviceSN><MAC>44-47-cc-37-ce-81</MAC>" +
  "<SoftwareVersion>V5.5.6build 180326</SoftwareVersion><HCPlatformEnable>flase</HCPlatformEnable></ProbeMatch>";

// protocols.md §5.1 (the DS-2CD2385G1-I ProbeMatch, in an envelope)
export const WSD_MATCH = (xaddrs = "http://192.168.124.40/onvif/device_service") =>
  '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" ' +
  'xmlns:wsadis="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">' +
  "<SOAP-ENV:Header><wsadis:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsadis:Action></SOAP-ENV:Header>" +
  "<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch>" +
  "<wsadis:EndpointReference><wsadis:Address>urn:uuid:aa85c000-6324-11b3-819e-5850ed1fe385</wsadis:Address></wsadis:EndpointReference>" +
  "<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>" +
  "<d:Scopes>onvif://www.onvif.org/MAC/58:50:ed:1f:e3:85 onvif://www.onvif.org/hardware/DS-2CD2385G1-I onvif://www.onvif.org/name/HIKVISION%20DS-2CD2385G1-I</d:Scopes>" +
  `<d:XAddrs>${xaddrs}</d:XAddrs><d:MetadataVersion>10</d:MetadataVersion>` +
  "</d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>";

// protocols.md §6.1
export const NOTIFY_DEV_INFO =
  '{ "mac" : "4c:11:bf:c2:0b:9d", "method" : "client.notifyDevInfo", "params" : { "deviceInfo" : { "DeviceClass" : "IPC", ' +
  '"DeviceType" : "IPC-HDW5421S", "SerialNo" : "1F006E4PAX00075", "Vendor" : "Dahua", "Version" : "2.400.0.8" } } }\n';

/** A legacy 5050 reply of the §6.2 layout: 0xb3, device type at 0x28, IPv4 at 0x38, then the MAC text. */
export function legacyReply(
  type = "IPC-HDW1200S",
  ip = [192, 168, 1, 108],
  mac = "3c:ef:8c:01:02:03",
): Buffer {
  const b = Buffer.alloc(0x78 + mac.length);
  b[0] = 0xb3;
  b[2] = mac.length;
  b.write(type, 0x28, "latin1");
  b.set(ip, 0x38);
  b.set([255, 255, 255, 0], 0x3c);
  b.set([192, 168, 1, 1], 0x40);
  b.write(mac, 0x78, "latin1");
  return b;
}

export const SSDP_REPLY =
  "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: http://192.168.1.64:49152/description.xml\r\n" +
  "SERVER: Linux/3.0, UPnP/1.0, Portable SDK for UPnP devices/1.6.22\r\nST: upnp:rootdevice\r\n" +
  "USN: uuid:11111111-2222-3333-4444-555555555555::upnp:rootdevice\r\n\r\n";
