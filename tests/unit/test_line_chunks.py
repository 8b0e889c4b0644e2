"""`LineChunks` cuts a byte stream, however it is split on arrival, into chunks of whole lines."""

from __future__ import annotations

import random

import pytest

from mixpanel_async.bulk.tabular import LineChunks


def _stream(rng: random.Random, lines: int) -> bytes:
    return b"".join(
        b'{"n":%d,"pad":"%s"}\n' % (i, b"x" * rng.randrange(0, 40)) for i in range(lines)
    )


def _pieces(rng: random.Random, body: bytes) -> list[bytes]:
    cuts = sorted(rng.sample(range(1, len(body)), min(len(body) - 1, rng.randrange(1, 60))))
    return [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]


@pytest.mark.parametrize("seed", range(40))
def test_chunks_are_whole_lines_and_rebuild_the_stream(seed: int) -> None:
    rng = random.Random(seed)
    body = _stream(rng, rng.randrange(1, 200))
    size = rng.choice([1, 7, 64, 500, 4096, 1 << 20])
    chunks = LineChunks(size)
    out: list[bytes] = []
    for piece in [*_pieces(rng, body), b""]:
        chunk = chunks.feed(piece)
        if chunk is not None:
            assert chunk.endswith(b"\n")
            out.append(chunk)
    rest = chunks.finish()
    assert b"".join(out) + rest == body
    assert rest == b"" or rest.endswith(b"\n")
    assert chunks.finish() == b""


def test_a_piece_without_a_newline_waits_for_one() -> None:
    chunks = LineChunks(4)
    assert chunks.feed(b'{"a":') is None
    assert chunks.feed(b"12") is None
    assert chunks.feed(b'}\n{"b"') == b'{"a":12}\n'
    assert chunks.feed(b":1}\n") == b'{"b":1}\n'
    assert chunks.finish() == b""
