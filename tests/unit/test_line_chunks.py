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
            assert all(chunk)
            joined = b"".join(chunk)
            assert joined.endswith(b"\n")
            out.append(joined)
    rest = b"".join(chunks.finish())
    assert b"".join(out) + rest == body
    assert rest == b"" or rest.endswith(b"\n")
    assert chunks.finish() == []


def test_a_piece_without_a_newline_waits_for_one() -> None:
    chunks = LineChunks(4)
    assert chunks.feed(b'{"a":') is None
    assert chunks.feed(b"12") is None
    assert chunks.feed(b'}\n{"b"') == [b'{"a":', b"12", b"}\n"]
    assert chunks.feed(b":1}\n") == [b'{"b"', b":1}\n"]
    assert chunks.finish() == []


def test_the_truncation_check_reads_the_text_after_the_final_newline() -> None:
    from mixpanel_async.bulk.jsonl import TruncatedStream

    chunks = LineChunks(1 << 20)
    for piece in (b'{"a":1}\n{"b', b'":', b"2"):
        assert chunks.feed(piece) is None
    with pytest.raises(TruncatedStream):
        chunks.finish()
    chunks = LineChunks(1 << 20)
    for piece in (b'{"a":1}\n{"b', b'":', b"2}"):
        chunks.feed(piece)
    assert b"".join(chunks.finish()) == b'{"a":1}\n{"b":2}\n'[:-1]


def test_a_cut_inside_the_last_piece_is_refused() -> None:
    from mixpanel_async.bulk.jsonl import TruncatedStream

    chunks = LineChunks(1 << 20)
    chunks.feed(b'{"a":1}\n{"a":')
    with pytest.raises(TruncatedStream):
        chunks.finish()
