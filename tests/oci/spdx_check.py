#!/usr/bin/env python3
"""spdx_check.py: checks an SPDX 2.3 JSON document as its JSON schema
requires (the required fields and their types, the enumerations used), and
that it describes the unikernel: python3 spdx_check.py DOC KERNEL."""
import hashlib
import json
import re
import sys

doc = json.load(open(sys.argv[1]))
kernel = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
errors = []


def need(obj, keys, where):
    for k, t in keys.items():
        if k not in obj:
            errors.append(f"{where}: no {k}")
        elif not isinstance(obj[k], t):
            errors.append(f"{where}: {k} is not {t.__name__}")


need(doc, {"spdxVersion": str, "dataLicense": str, "SPDXID": str, "name": str,
           "documentNamespace": str, "creationInfo": dict}, "document")
if doc.get("spdxVersion") != "SPDX-2.3" or doc.get("dataLicense") != "CC0-1.0":
    errors.append("not an SPDX-2.3 document under CC0-1.0")
if doc.get("SPDXID") != "SPDXRef-DOCUMENT":
    errors.append("the document's SPDXID")
if not re.match(r"^[a-z][a-z0-9+.-]*:", doc.get("documentNamespace", "")):
    errors.append("documentNamespace is not an absolute URI")
info = doc.get("creationInfo", {})
need(info, {"created": str, "creators": list}, "creationInfo")
if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", info.get("created", "")):
    errors.append("creationInfo.created is not a UTC date-time")
if not all(re.match(r"^(Tool|Person|Organization): ", c) for c in info.get("creators", [])):
    errors.append("a creator is not Tool:, Person: or Organization:")
ids = {"SPDXRef-DOCUMENT"}
idre = re.compile(r"^SPDXRef-[A-Za-z0-9.-]+$")
purposes = {"APPLICATION", "FRAMEWORK", "LIBRARY", "CONTAINER", "OPERATING-SYSTEM", "DEVICE",
            "FIRMWARE", "SOURCE", "ARCHIVE", "FILE", "INSTALL", "OTHER"}
for i, p in enumerate(doc.get("packages", [])):
    need(p, {"SPDXID": str, "name": str, "downloadLocation": str}, f"packages[{i}]")
    if p.get("primaryPackagePurpose", "OTHER") not in purposes:
        errors.append(f"packages[{i}]: primaryPackagePurpose")
    ids.add(p.get("SPDXID"))
for i, f in enumerate(doc.get("files", [])):
    need(f, {"SPDXID": str, "fileName": str, "checksums": list}, f"files[{i}]")
    ids.add(f.get("SPDXID"))
for i in ids:
    if not idre.match(i or ""):
        errors.append(f"SPDXID {i!r}")
if len(ids) != 1 + len(doc.get("packages", [])) + len(doc.get("files", [])):
    errors.append("an SPDXID is used twice")
for c in [c for x in doc.get("packages", []) + doc.get("files", []) for c in x.get("checksums", [])]:
    need(c, {"algorithm": str, "checksumValue": str}, "a checksum")
    if c.get("algorithm") == "SHA256" and not re.match(r"^[0-9a-f]{64}$", c.get("checksumValue", "")):
        errors.append("a SHA256 value")
for i, r in enumerate(doc.get("relationships", [])):
    need(r, {"spdxElementId": str, "relationshipType": str, "relatedSpdxElement": str},
         f"relationships[{i}]")
    for k in ("spdxElementId", "relatedSpdxElement"):
        if r.get(k) not in ids:
            errors.append(f"relationships[{i}]: {r.get(k)} is not an element")
described = [r["relatedSpdxElement"] for r in doc.get("relationships", [])
             if r.get("relationshipType") == "DESCRIBES"]
uk = [p for p in doc.get("packages", []) if p.get("SPDXID") in described]
if not uk or {"algorithm": "SHA256", "checksumValue": kernel} not in uk[0].get("checksums", []):
    errors.append("the package it describes is not the unikernel (sha256)")
if not any(f.get("fileName", "").endswith("unikernel.c") for f in doc.get("files", [])):
    errors.append("the unikernel's source is not among the files")
if errors:
    print("; ".join(errors))
    sys.exit(1)
