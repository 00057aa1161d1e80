"""Sales pages, one module per sub-aggregate; every view checks its permission."""
