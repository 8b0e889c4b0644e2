"""Emulator routes for openapi/account.yaml: `/me`, workspaces, the projects index.

Every project has one global workspace, "All Project Data", whose id equals the project id.
"""

from __future__ import annotations

from aiohttp import web

from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.route_helpers import ORGANIZATION_ID, workspace_of
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()

USER_ID = 1


@routes("get_me")
async def get_me(call: Call) -> web.Response:
    """GET /api/app/me: describe the authenticated user and everything it can access."""
    projects = list(call.state)
    return json_response(
        {
            "status": "ok",
            "results": {
                "user_id": USER_ID,
                "user_email": "emulator@example.com",
                "user_name": "Emulator User",
                "organizations": {
                    str(ORGANIZATION_ID): {
                        "id": ORGANIZATION_ID,
                        "name": "Emulated Organization",
                        "role": "owner",
                        "permissions": ["view_project", "write_project"],
                    }
                },
                "projects": {
                    p.project_id: {
                        "name": p.name,
                        "organization_id": ORGANIZATION_ID,
                        "timezone": p.timezone,
                        "has_workspaces": True,
                        "domain": "mixpanel.com",
                        "type": "PROJECT",
                    }
                    for p in projects
                },
                "workspaces": {
                    str(w["id"]): {
                        k: w[k]
                        for k in (
                            "id",
                            "name",
                            "project_id",
                            "is_default",
                            "is_global",
                            "is_restricted",
                            "is_visible",
                            "description",
                            "creator_name",
                        )
                    }
                    for w in map(workspace_of, projects)
                },
            },
        }
    )


@routes("list_public_workspaces")
async def list_public_workspaces(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/workspaces/public: list the workspaces (data views) of
    one project."""
    project = project_for(call)
    return json_response({"status": "ok", "results": [workspace_of(project)]})


@routes("get_projects_metadata_index")
async def get_projects_metadata_index(call: Call) -> web.Response:
    """GET /api/app/projects/metadata/index: metadata of every project the credential can reach,
    keyed by project id."""
    return json_response(
        {
            "status": "ok",
            "results": {
                p.project_id: {
                    "id": int(p.project_id),
                    "name": p.name,
                    "timezone": p.timezone,
                    "workspaces": {str(p.project_id): workspace_of(p)},
                }
                for p in call.state
            },
        }
    )
