"""Words and numbers: the message catalogue, number formats, periods and place names by language."""
