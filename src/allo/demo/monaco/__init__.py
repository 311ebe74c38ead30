"""Monaco geodata built from OpenStreetMap (© OpenStreetMap contributors, ODbL)."""
