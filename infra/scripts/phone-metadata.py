#!/usr/bin/env python3
"""Writes the libphonenumber metadata the product loads first: the territories of the
country calling codes it texts (by default 1, the North American Numbering Plan: the
US, Canada and the 23 other regions that share +1), cut from the metadata file of the
`phonenumber` crate that Cargo.lock pins, unchanged.

Usage: infra/scripts/phone-metadata.py [CODE ...] > shared/src/domain/phone/metadata.xml

Rerun it after upgrading the crate; the unit test `same_answers_as_the_full_metadata`
compares the two on a generated sample.
"""
import json
import pathlib
import re
import subprocess
import sys

codes = set(sys.argv[1:] or ["1"])
meta = json.loads(subprocess.check_output(
    ["cargo", "metadata", "--format-version", "1", "--locked"], text=True))
crate = next(p for p in meta["packages"] if p["name"] == "phonenumber")
xml = (pathlib.Path(crate["manifest_path"]).parent / "assets" / "PhoneNumberMetadata.xml").read_text()

head, rest = xml.split("<territories>", 1)
_, tail = rest.split("</territories>", 1)
blocks = re.findall(r"(?:[ \t]*<!--[^\n]*-->\n)?[ \t]*<territory\b.*?</territory>\n", rest, re.S)
kept = [b for b in blocks if re.search(r'<territory\b[^>]*\bcountryCode="(\d+)"', b).group(1) in codes]
sys.stdout.write(
    head
    + f"<territories>\n  <!-- Cut by infra/scripts/phone-metadata.py from phonenumber {crate['version']}:"
    + f" country calling codes {', '.join(sorted(codes))}, {len(kept)} of {len(blocks)} territories. -->\n"
    + "".join(kept)
    + "  </territories>"
    + tail
)
