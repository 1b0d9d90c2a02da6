/* report.h: exports of a case for other tools, the last stage.  Each
 * writes one document to a stream and is deterministic: the same case gives
 * the same bytes (everything is ordered, no times but those in the case).
 * Strings from evidence are escaped for the destination (util/escape.h). */
#ifndef TRAWL_REPORT_REPORT_H
#define TRAWL_REPORT_REPORT_H

#include <stdio.h>

#include "case/case.h"
#include "util/err.h"

/* GraphML (Gephi, Cytoscape, networkx), undirected: a node per device
 * (kind=device) and per identifier or file on two or more devices that is
 * not stop-listed (kind=identifier, type, value, devices), an occurrence
 * edge device-identifier (kind=occurrence, weight = occurrences on the
 * device) and a link edge per linked pair (kind=link, weight = score,
 * shared).  Needs 'trawl link' to have run. */
int report_graphml(case_db *c, FILE *out, trawl_err *err);

/* CASE/UCO JSON-LD: the investigation, the tool, the examiners, each
 * device and image (with its hashes), a scan action per device, each
 * distinct identifier as an observable (EmailAddress, URL, DomainName,
 * IPv4Address, IPv6Address, PhoneAccount, ApplicationAccount,
 * FinancialAccount, DigitalAddress), the files that hold identifiers, and a
 * Contained_Within relationship per occurrence (to the file, else to the
 * device) with the device offset as a DataRangeFacet. */
int report_jsonld(case_db *c, FILE *out, trawl_err *err);

/* CSV of every occurrence: device,type,value,offset,path,file,area,context,
 * one per row in device, offset order; fields quoted as RFC 4180 needs and
 * formula-like values neutralized (esc_csv); context escaped first with
 * esc_feature (non-UTF-8 bytes as \xHH). */
int report_csv(case_db *c, FILE *out, trawl_err *err);

#endif
