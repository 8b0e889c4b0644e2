"""Emulator routes for openapi/discovery.yaml."""

from __future__ import annotations

from mixpanel_async.emulator.router import Routes

routes = Routes()
