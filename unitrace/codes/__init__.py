"""Pure code libraries: serial rules and the reading of scanned codes (GS1, MA, URLs).

Plain functions and value types, no models, no database: what a serial or a scanned
code may look like does not depend on what is stored. That lets master data (a SKU
checks its serial rule and GTIN) and every layer above use them; the layer contracts
keep this package from importing any unitrace app but ``core``.

- ``serial_text``: whether a text can be a serial at all (GS1 (21), GB/T 33993, Excel)
- ``check_chars``: Damm and ISO 7064 MOD 37-36 check characters (python-stdnum)
- ``patterns``: a SKU's serial rule (``SerialPattern``): parse, check, describe, render
- ``rendering``: many numbered or random serials at once, check characters included
- ``ranges``: ranges such as ``A0001-A5000``
- ``pasted``: pasted and scanned lists, barcodes' data kept whole (``ScannedCode``)
- ``gs1`` and its table ``gs1_rules``: reading GS1 element strings, Digital Link URIs,
  MA codes; GTIN normalisation
"""
