"""Emulator routes for openapi/ingestion.yaml."""

from __future__ import annotations

from mixpanel_async.emulator.router import Routes

routes = Routes()
