"""Throughput of ``interpret`` versus plain ``biip.parse`` on the same seeded scan corpus.

Run: ``.venv/bin/python benchmarks/interpret.py [--size N] [--repeats R]``.
Prints scans/second for both and the ratio interpret/biip (higher is better).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date
from urllib.parse import quote

import biip

from inspect_core.interpret import InterpretOptions, interpret
from inspect_core.ndc import gtin14_from_ndc10

CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
GS = "\x1d"


def _scan(rng: random.Random) -> str:
    ndc10 = "".join(rng.choices("0123456789", k=10))
    gtin = gtin14_from_ndc10(ndc10, rng.choice("0005"))
    lot = "".join(rng.choices(CSET82, k=rng.randint(1, 20)))
    serial = "".join(rng.choices(CSET82, k=rng.randint(1, 20)))
    expiry = f"{rng.randint(24, 35):02d}{rng.randint(1, 12):02d}{rng.choice(['00', '15', '28'])}"
    kind = rng.random()
    if kind < 0.55:
        separator = rng.choice([GS, GS, "<GS>"])
        body = f"01{gtin}17{expiry}10{lot}{separator}21{serial}"
        if rng.random() < 0.3:
            body = f"01{gtin}21{serial}{separator}17{expiry}10{lot}"
        prefix = rng.choice(["]d2", "]d2", ""])
        return prefix + body + rng.choice(["", "\r", "\r\n"])
    if kind < 0.70:
        path = f"/01/{gtin}/10/{quote(lot, safe='')}/21/{quote(serial, safe='')}?17={expiry}"
        return (
            rng.choice(["]Q1", ""]) + rng.choice(["https://id.gs1.org", "HTTPS://e.example"]) + path
        )
    if kind < 0.78:
        return f"(01){gtin}(17){expiry}(10){lot}(21){serial}"
    if kind < 0.86:
        return rng.choice(["]E0", ""]) + gtin[1:]
    if kind < 0.92:
        return rng.choice([f"{ndc10[:4]}-{ndc10[4:8]}-{ndc10[8:]}", ndc10])
    broken = f"01{gtin}17{expiry}10{lot}21{serial}"
    return rng.choice([broken, broken[:-3] + "\x00", "]d2" + broken[:9], "hello", ""])


def corpus(size: int, seed: int = 20240601) -> list[str]:
    rng = random.Random(seed)
    return [_scan(rng) for _ in range(size)]


def best_rate(function: Callable[[str], object], scans: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for scan in scans:
            function(scan)
        best = min(best, time.perf_counter() - start)
    return len(scans) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    scans = corpus(args.size)
    options = InterpretOptions(today=date.today())
    ours = best_rate(lambda scan: interpret(scan, options), scans, args.repeats)
    theirs = best_rate(biip.parse, scans, args.repeats)
    print(f"corpus: {len(scans)} scans, best of {args.repeats}")
    print(f"interpret:  {ours:10.0f} scans/s")
    print(f"biip.parse: {theirs:10.0f} scans/s")
    print(f"ratio interpret/biip: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
