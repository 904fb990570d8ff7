"""Write sigaudit/data/lexicon/places.json: the names of Vietnam's administrative units.

Source: the PyPI package ``vietnam-provinces`` (>= 2026.9, GSO codes) — the current 34
provinces and their wards and communes, and in ``vietnam_provinces.legacy`` the 63
provinces, 696 districts and their wards before the 2025 merger.  The package needs
Python >= 3.12, so the data is generated here and shipped (the project runs on 3.10+):

    python3.12 -m venv /tmp/vp && /tmp/vp/bin/pip install 'vietnam-provinces>=2026.9'
    /tmp/vp/bin/python docs/make_lexicon.py            # rewrites the file
    /tmp/vp/bin/python docs/make_lexicon.py --check    # exit 1 when it is out of date

Each unit is written by its name without the type ("Bà Rịa - Vũng Tàu", "Phú Bình",
"Phường 1" keeps its word: a bare number names nothing), grouped by level; the output is
sorted, so the same package version writes the same bytes.
"""

from __future__ import annotations

import json
import re
import sys
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "sigaudit" / "data" / "lexicon" / "places.json"
_TYPES = re.compile(
    r"^(Thành phố|Tỉnh|Quận|Huyện|Thị xã|Thị trấn|Xã|Phường|Đặc khu)\s+",
)


def bare(name: str) -> str:
    rest = _TYPES.sub("", name.strip())
    return name.strip() if not rest or rest[0].isdigit() else rest


def build() -> dict:
    import vietnam_provinces as vp
    from vietnam_provinces import legacy

    provinces = {bare(p.name) for p in vp.Province.iter_all()} | {bare(p.name) for p in legacy.Province.iter_all()}
    districts = {bare(d.name) for d in legacy.District.iter_all()}
    wards = {bare(w.name) for w in vp.Ward.iter_all()} | {bare(w.name) for w in legacy.Ward.iter_all()}
    return {
        "source": f"vietnam-provinces {version('vietnam-provinces')}",
        "provinces": sorted(provinces),
        "districts": sorted(districts),
        "wards": sorted(wards - districts - provinces),
    }


def main() -> int:
    text = json.dumps(build(), ensure_ascii=False, indent=0) + "\n"
    if "--check" in sys.argv:
        return 0 if OUT.read_text(encoding="utf-8") == text else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
