"""Validates every scenario in scenarios/ against docs/scenario.schema.json, as an editor would."""
import glob
import json
import sys

import jsonschema
import yaml

schema = json.load(open("docs/scenario.schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = 0
files = sorted(glob.glob("scenarios/*.yaml"))
for f in files:
    errors = list(validator.iter_errors(yaml.safe_load(open(f))))
    for e in errors:
        print(f"{f}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    failed += bool(errors)
print(f"schema: {len(files) - failed} of {len(files)} scenarios valid")
sys.exit(1 if failed else 0)
