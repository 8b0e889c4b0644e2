"""Glue for frameworks (optional extras): `mixpanel_async.integrations.fastapi`."""
