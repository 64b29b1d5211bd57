"""Reading and writing files: reference loaders and their checks, authored TOML, survey imports, exports."""
