"""Reading pyHanko dictionaries safely.

pyHanko's ``DictionaryObject.get`` returns the stored value as is: an indirect reference,
or — in an encrypted file — a proxy that is neither iterable nor the string it holds.
``entry`` resolves both, and never raises.
"""

from __future__ import annotations

from typing import Any


def entry(obj: Any, key: str, default: Any = None) -> Any:
    """``obj[key]`` resolved (through references and decryption), else ``default``."""
    try:
        return obj[key] if key in obj else default
    except Exception:
        return default
