"""The demo city and its shops (Monaco): shipped data, no I/O at import."""
