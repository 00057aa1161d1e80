"""Pages that compose serials with the layers above it: the unit file, the scan result
(its summary shows the warranty) and label sheets (they print verification codes)."""
