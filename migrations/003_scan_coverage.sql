-- v3: which network segments a scan reached with local discovery (multicast on a named interface, the neighbour
-- table) and which only with remote probes, so an auditor sees a VLAN that local discovery did not cover.
ALTER TABLE scans ADD COLUMN coverage JSONB;
