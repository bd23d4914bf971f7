"""Reading files: tables, your data, the gazetteer, boundary files, and safe writing."""
