"""A deterministic synthetic product dataset for the emulator (``--seed demo``).

The data describes a made-up SaaS product: users sign up on different days, create projects, invite
teammates, browse, search and buy, with activity that decays after sign-up, a weekly rhythm, and
commerce funnels whose conversion falls at every step. The same arguments always give the same
events and profiles, byte for byte, because the only source of randomness is ``random.Random(seed)``
and the window ends on a fixed date unless told otherwise.
"""

from __future__ import annotations

import calendar
import datetime
import math
import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import Any, TypeVar

import attrs

__all__ = ["DEFAULT_END", "EVENT_NAMES", "DemoData", "generate"]

DEFAULT_END = datetime.date(2026, 11, 1)
"""Last day of the default window; fixed so the output never depends on today."""

EVENT_NAMES: tuple[str, ...] = (
    "Sign Up", "Log In", "View Page", "Search", "Add to Cart", "Checkout Started", "Purchase",
    "Invite Sent", "Upgrade Plan", "Cancel Subscription", "Share", "Comment", "Upload File",
    "Export Report", "Create Project", "View Dashboard", "Support Ticket", "Enable Feature",
    "Watch Tutorial", "Logout",
)  # fmt: skip

Props = dict[str, Any]
_T = TypeVar("_T")

# Weights of _V["city"] (defined below), in the same order.
_CITY_CUM = list(accumulate((14, 9, 5, 4, 5, 5, 9, 3, 6, 3, 5, 4, 3, 2, 4, 3, 3, 6, 3)))
# (platform, $device, $os choices, $browser choices or () for native apps)
_PLATFORMS = (
    ("web", "Desktop", ("Mac OS X", "Windows", "Linux"), ("Chrome", "Safari", "Firefox", "Edge")),
    ("web", "Mobile", ("iOS", "Android"), ("Mobile Safari", "Chrome")),
    ("ios", "iPhone", ("iOS",), ()),
    ("android", "Android", ("Android",), ()),
)
_PLATFORM_CUM = list(accumulate((62, 10, 16, 12)))
_PLANS = ("free", "starter", "pro", "enterprise")
_PLAN_PRICE = {"free": 0.0, "starter": 12.0, "pro": 39.0, "enterprise": 99.0}
_PRODUCTS = {"Template Pack": 19.0, "Extra Storage 50GB": 9.99, "Seat Bundle x5": 45.0,
             "Priority Support": 29.0, "Analytics Add-on": 24.5, "Brand Kit": 14.0}  # fmt: skip
_RAW_VOCAB = {
    "city": "San Francisco:US|New York:US|Austin:US|Chicago:US|Seattle:US|Toronto:CA|London:GB"
    "|Manchester:GB|Berlin:DE|Munich:DE|Paris:FR|Amsterdam:NL|Madrid:ES|Stockholm:SE|Sydney:AU"
    "|Singapore:SG|Tokyo:JP|Bangalore:IN|São Paulo:BR",
    "first": "Avery|Brenna|Caspian|Dalia|Emrys|Fenna|Galen|Hollis|Ilse|Jory|Kestrel|Liora|Marlow"
    "|Niamh|Orrin|Petra|Quill|Rowan|Saoirse|Tobin|Ulla|Vesper|Wren|Xavi|Yara|Zephyr|Anouk|Dorian",
    "last": "Ashcombe|Brindle|Corrow|Delacourt|Ellery|Farrowby|Gantley|Halloway|Ingleby|Jessop"
    "|Kilbride|Lorimer|Marchetti|Nettleford|Okonkwo-Reyes|Pellow|Quenby|Rathmore|Thistlewood",
    "co_head": "Bright|Quill|North|Copper|Lumen|Tidal|Granite|Velvet|Arbor",
    "co_tail": "loom|mark|forge|wave|stack|field|works|path|nest",
    "co_kind": "Labs|Analytics|Systems|Co.|Studio|Health|Logistics|",
    "utm": "google|newsletter|linkedin|twitter|partner|producthunt|podcast",
    "page": "/|/pricing|/features|/docs/getting-started|/docs/api|/blog|/templates|/integrations"
    "|/changelog|/about",
    "term": "invoice template|gantt chart|api key|export csv|kanban|roadmap|dark mode|sso setup"
    "|retention report|slack integration|billing|okrs",
    "dashboard": "Overview|Team Velocity|Revenue|Sprint Health|Customer Pipeline",
    "feature": "dark_mode|ai_summaries|two_factor|slack_sync|custom_fields|api_access",
    "video": "Getting started|Your first project|Inviting your team|Automations 101",
    "signup": "email|google|github|sso",
    "login": "password|google|sso|magic_link",
    "referrer": "$direct|google.com|news.ycombinator.com|blog",
    "channel": "link|email|slack|twitter",
    "object": "task|doc|dashboard|project",
    "file_type": "pdf|png|csv|docx",
    "format": "csv|pdf|xlsx",
    "category": "billing|bug|how-to|account",
    "priority": "low|normal|normal|high",
    "template": "blank|kanban|roadmap|crm",
    "role": "member|member|admin|viewer",
    "payment": "card|card|paypal|invoice",
    "coupon": "WELCOME15|SPRING15|FRIENDS15",
    "reason": "too expensive|missing feature|switched tool|project ended",
}
_V = {key: tuple(text.split("|")) for key, text in _RAW_VOCAB.items()}
# Per-event properties: name -> vocabulary key, or an inclusive int range (int-valued property).
_PROPS: dict[str, dict[str, str | tuple[int, int]]] = {
    "View Page": {"page": "page", "load_time_ms": (80, 2500)},
    "View Dashboard": {"dashboard": "dashboard", "widget_count": (2, 14)},
    "Search": {"search_term": "term", "results_count": (0, 60)},
    "Comment": {"object_type": "object", "length": (3, 400)},
    "Share": {"channel": "channel", "object_type": "object"},
    "Upload File": {"file_type": "file_type"},
    "Export Report": {"format": "format", "row_count": (10, 50000)},
    "Enable Feature": {"feature": "feature"},
    "Watch Tutorial": {"video": "video", "watch_seconds": (20, 600)},
    "Support Ticket": {"category": "category", "priority": "priority"},
    "Create Project": {"template": "template"},
    "Invite Sent": {"invitee_role": "role", "invite_count": (1, 5)},
}
_ACTIONS = (*_PROPS, "shop")  # "shop" is the commerce funnel
_ACTION_CUM = list(accumulate((30, 20, 10, 6, 3, 4, 3, 1.5, 1.5, 0.8, 1.5, 1.2, 8)))
_WEEKDAY = (1.0, 1.06, 1.05, 1.0, 0.9, 0.52, 0.45)  # Monday .. Sunday
_HOURS = range(24)
_HOUR_CUM = list(
    accumulate((1,) * 5 + (2, 3, 6, 9, 11, 11, 10, 8, 9, 10, 10, 9, 8, 6, 5, 4, 3, 2, 1))
)
_QTY_CUM = list(accumulate((70, 18, 8, 4)))
_MASK = (1 << 64) - 1


@attrs.frozen
class DemoData:
    """The generated dataset.

    Attributes:
        events: Events in Mixpanel's import format, sorted by ``properties["time"]``.
        profiles: One profile per user, shaped like the engage query's ``results`` entries.
    """

    events: list[dict[str, Any]]
    profiles: list[dict[str, Any]]


def _ri(rng: random.Random, lo: int, hi: int) -> int:
    """Uniform int in ``[lo, hi]``; several times faster than ``Random.randint``."""
    return lo + int(rng.random() * (hi - lo + 1))


def _pick(rng: random.Random, items: Sequence[_T], cum: Sequence[float]) -> _T:
    """One item drawn with cumulative weights ``cum``, without ``Random.choices``' overhead."""
    return items[bisect(cum, rng.random() * cum[-1])]


def _iso(ts: int) -> str:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")


class _User:
    """Mutable per-user state while the user's history is written."""

    def __init__(self, rng: random.Random, index: int, signup: int) -> None:
        self.id = f"user-{index:05d}"
        self.first, self.last = rng.choice(_V["first"]), rng.choice(_V["last"])
        head, tail = rng.choice(_V["co_head"]), rng.choice(_V["co_tail"])
        self.company = f"{head}{tail} {rng.choice(_V['co_kind'])}".strip()
        self.email = f"{self.first}.{self.last}@{head}{tail}.example".lower()
        self.signup = signup
        self.engagement = rng.lognormvariate(0.0, 0.6)
        self.plan = "free" if rng.random() < 0.7 else rng.choice(_PLANS[1:3])
        self.seats = 1 if self.plan == "free" else _ri(rng, 1, 12)
        self.utm = rng.choice(_V["utm"]) if rng.random() < 0.7 else None
        self.ltv = 0.0
        self.churned = False
        platform, device, oses, browsers = _pick(rng, _PLATFORMS, _PLATFORM_CUM)
        self.city, self.country = _pick(rng, _V["city"], _CITY_CUM).split(":")
        self.base: Props = {"$os": rng.choice(oses), "$device": device, "platform": platform}
        if browsers:
            self.base["$browser"] = rng.choice(browsers)
            self.base["$browser_version"] = rng.choice((118, 119, 120, 121.5))  # int or float
        if rng.random() > 0.04:  # geo lookup sometimes fails
            self.base |= {"$city": self.city, "mp_country_code": self.country}


class _Writer:
    """Appends events for one dataset, assigning unique deterministic ``$insert_id`` values."""

    def __init__(self, rng: random.Random, seed: int, end_ts: int) -> None:
        self.rng, self.end_ts, self.count = rng, end_ts, 0
        self.events: list[dict[str, Any]] = []
        self.salt = (seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & _MASK
        self.last_seen: dict[str, int] = {}

    def emit(self, user: _User, name: str, ts: int, extra: Props) -> bool:
        """Record one event; return False (and record nothing) once ``ts`` is past the window."""
        if ts > self.end_ts:
            return False
        self.count += 1
        mixed = (self.count * 0xD1B54A32D192ED03 + self.salt) & _MASK  # odd multiplier: a bijection
        insert_id = f"{mixed:016x}-{self.count:07d}"
        props: Props = {"time": ts, "distinct_id": user.id, "$insert_id": insert_id, **user.base}
        props["plan"] = user.plan
        if user.utm is not None and ts - user.signup < 3 * 86400:  # first-touch attribution window
            props["utm_source"] = user.utm
        props.update(extra)
        self.events.append({"event": name, "properties": props})
        self.last_seen[user.id] = ts
        return True


def _shop(w: _Writer, u: _User, t: int) -> int:
    """Emit the commerce funnel: store page, then each later step with falling conversion."""
    rng = w.rng
    product, price = rng.choice(tuple(_PRODUCTS.items()))
    w.emit(u, "View Page", t, {"page": "/store", "load_time_ms": _ri(rng, 90, 1400)})
    if rng.random() > 0.32:
        return t
    qty = _pick(rng, (1, 2, 3, 5), _QTY_CUM)
    t += _ri(rng, 8, 120)
    w.emit(u, "Add to Cart", t, {"item": product, "item_count": qty, "price": price})
    if rng.random() > 0.58:
        return t
    t += _ri(rng, 15, 300)
    w.emit(u, "Checkout Started", t, {"item_count": qty, "cart_value": round(qty * price, 2)})
    if rng.random() > 0.66:
        return t
    t += _ri(rng, 20, 240)
    coupon = rng.random() < 0.2
    amount = round(qty * price * (0.85 if coupon else 1.0), 2)
    extra: Props = {"amount": amount, "item_count": qty, "currency": "USD"}
    extra["payment_method"] = rng.choice(_V["payment"])
    if coupon:
        extra["coupon"] = rng.choice(_V["coupon"])
    if w.emit(u, "Purchase", t, extra):
        u.ltv += amount
    return t


def _action(w: _Writer, u: _User, name: str, t: int) -> int:
    """Emit one in-session action with its per-event properties; return the time reached."""
    if name == "shop":
        return _shop(w, u, t)
    rng = w.rng
    extra: Props = {
        key: _ri(rng, *spec) if isinstance(spec, tuple) else rng.choice(_V[spec])
        for key, spec in _PROPS[name].items()
    }
    if name == "View Page" and rng.random() < 0.3:
        extra["referrer"] = rng.choice(_V["referrer"])
    elif name == "Upload File":
        extra["file_size_mb"] = round(rng.lognormvariate(0.5, 1.0), 3)
    elif name == "Watch Tutorial":
        extra["completed"] = extra["watch_seconds"] > 400
    elif name == "Create Project":
        extra["first_project"] = False
    w.emit(u, name, t, extra)
    return t


def _session(w: _Writer, u: _User, t: int) -> None:
    """Emit one session starting at ``t``: log in, a few actions, maybe a plan change, log out."""
    rng = w.rng
    start = t
    if rng.random() < 0.55:
        w.emit(u, "Log In", t, {"method": rng.choice(_V["login"])})
    for _ in range(1 + int(rng.expovariate(0.55) * min(u.engagement, 2.5))):
        t += _ri(rng, 10, 240)
        if t > w.end_ts:
            return
        t = _action(w, u, _pick(rng, _ACTIONS, _ACTION_CUM), t)
    t += _ri(rng, 5, 90)
    if u.plan in ("free", "starter") and rng.random() < 0.012 * u.engagement:
        new = _PLANS[_PLANS.index(u.plan) + rng.choice((1, 1, 2))]
        seats = max(u.seats, _ri(rng, 1, 25) if new == "enterprise" else _ri(rng, 1, 8))
        mrr = round(_PLAN_PRICE[new] * seats, 2)
        extra = {"from_plan": u.plan, "to_plan": new, "seats": seats, "mrr": mrr}
        if w.emit(u, "Upgrade Plan", t, extra):
            u.plan, u.seats = new, seats
            u.ltv += mrr
    elif (
        u.plan != "free"
        and rng.random() < 0.006
        and w.emit(u, "Cancel Subscription", t, {"reason": rng.choice(_V["reason"])})
    ):
        u.plan, u.churned = "free", rng.random() < 0.6
    if rng.random() < 0.3:
        w.emit(u, "Logout", t + 2, {"session_length_sec": t + 2 - start})


def _onboard(w: _Writer, u: _User) -> int:
    """Emit the sign-up day: Sign Up, maybe a tutorial, then Create Project → Invite Sent."""
    rng, t = w.rng, u.signup
    method, referrer = rng.choice(_V["signup"]), rng.choice(_V["referrer"])
    w.emit(u, "Sign Up", t, {"method": method, "referrer": referrer})
    if rng.random() < 0.4:
        t += _ri(rng, 30, 400)
        secs = _ri(rng, 30, 600)
        extra = {"video": _V["video"][0], "watch_seconds": secs, "completed": secs > 400}
        w.emit(u, "Watch Tutorial", t, extra)
    if rng.random() < 0.62:
        t += _ri(rng, 60, 900)
        template = rng.choice(_V["template"])
        w.emit(u, "Create Project", t, {"template": template, "first_project": True})
        if rng.random() < 0.45:
            t += _ri(rng, 30, 1800)
            w.emit(u, "Invite Sent", t, {"invitee_role": "member", "invite_count": _ri(rng, 1, 6)})
    return t


def _profile(u: _User, last_seen: int) -> dict[str, Any]:
    """The user's profile as the engage query returns it."""
    props: Props = {
        "$email": u.email, "$name": f"{u.first} {u.last}", "$first_name": u.first,
        "$last_name": u.last, "$created": _iso(u.signup), "$last_seen": _iso(last_seen),
        "$city": u.city, "mp_country_code": u.country, "plan": u.plan, "company": u.company,
        "seats": u.seats, "ltv": round(u.ltv, 2),
    }  # fmt: skip
    if u.utm is not None:
        props["utm_source"] = u.utm
    return {"$distinct_id": u.id, "$properties": props}


def generate(
    *, users: int = 3000, days: int = 90, end: datetime.date | None = None, seed: int = 4808
) -> DemoData:
    """Generate the demo dataset.

    Args:
        users: Number of users; each signs up inside the window and gets one profile.
        days: Length of the window in days, ending on ``end`` inclusive (UTC).
        end: Last day of the window; defaults to ``DEFAULT_END`` so the output is reproducible.
        seed: Seed for ``random.Random``; equal arguments give equal output.

    Returns:
        The events, sorted by time, and the profiles, in user order.

    Raises:
        ValueError: If ``users`` is negative or ``days`` is smaller than 1.
    """
    if users < 0 or days < 1:
        raise ValueError("users must be >= 0 and days >= 1")
    first = (end or DEFAULT_END) - datetime.timedelta(days=days - 1)
    start_ts = calendar.timegm(first.timetuple())
    rng = random.Random(seed)
    w = _Writer(rng, seed, start_ts + days * 86400 - 1)
    weekday = [_WEEKDAY[(first.weekday() + d) % 7] for d in range(days)]
    # Sign-ups grow over the window and dip at weekends, so every day has its own cohort.
    signup_cum = list(accumulate((1 + 0.6 * d / days) * weekday[d] for d in range(days)))
    people: list[_User] = []
    for i in range(users):
        day = _pick(rng, range(days), signup_cum)
        hour = _pick(rng, _HOURS, _HOUR_CUM)
        u = _User(rng, i + 1, start_ts + day * 86400 + hour * 3600 + rng.randrange(3600))
        people.append(u)
        t = _onboard(w, u)
        if rng.random() < 0.5:
            _session(w, u, t + _ri(rng, 300, 5400))
        for d in range(day + 1, days):
            if u.churned:
                break
            p = u.engagement * (0.075 + 0.5 * math.exp(-(d - day) / 7.0)) * weekday[d]
            if rng.random() >= p:
                continue
            for _ in range(1 + (rng.random() < 0.25 * u.engagement)):
                hour = _pick(rng, _HOURS, _HOUR_CUM)
                _session(w, u, start_ts + d * 86400 + hour * 3600 + rng.randrange(3600))
    w.events.sort(key=lambda e: e["properties"]["time"])
    profiles = [_profile(u, w.last_seen.get(u.id, u.signup)) for u in people]
    return DemoData(events=w.events, profiles=profiles)
