/**
 * The ONVIF device-service calls that need no login: PRE_AUTH in the ONVIF Core access classes (protocols.md §5.2:
 * GetServices, GetEndpointReference, GetSystemDateAndTime). SOAP 1.2 over HTTP POST.
 */
export const SOAP_CONTENT_TYPE = "application/soap+xml; charset=utf-8";
export const DEVICE_NS = "http://www.onvif.org/ver10/device/wsdl";

export function envelope(body: string, header = ""): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">` +
    (header ? `<s:Header>${header}</s:Header>` : "") +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** IncludeCapability is a required element of GetServices (ONVIF devicemgmt.wsdl); false keeps the reply short. */
export const GET_SERVICES = envelope(
  `<GetServices xmlns="${DEVICE_NS}"><IncludeCapability>false</IncludeCapability></GetServices>`,
);
export const GET_SYSTEM_DATE_AND_TIME = envelope(`<GetSystemDateAndTime xmlns="${DEVICE_NS}"/>`);

export const PRE_AUTH_CALLS = [
  { soap: "GetServices", body: GET_SERVICES },
  { soap: "GetSystemDateAndTime", body: GET_SYSTEM_DATE_AND_TIME },
] as const;
