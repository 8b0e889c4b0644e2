"""Code generator: `openapi/*.yaml` → `mixpanel_async/_generated/`. Run `python -m codegen`."""
