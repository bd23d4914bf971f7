"""The general flow engine: selection, totals, framing, curves and widths; no Batken here."""
