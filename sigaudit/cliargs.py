"""The command line's arguments and their help, in Vietnamese (default) or English."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NoReturn

from sigaudit._version import __version__
from sigaudit.cache import default_cache_dir
from sigaudit.report.formats import FORMATS

# option → (Vietnamese, English)
HELP: dict[str, tuple[str, str]] = {
    "description": (
        "Kiểm tra văn bản điện tử có ký số: chữ ký, ngày ban hành, thống kê theo cơ quan.",
        "Audit digitally signed PDF documents: signatures, issuance dates, per-office counts.",
    ),
    "paths": ("tệp PDF và thư mục (tìm *.pdf trong mọi thư mục con)", "PDF files and folders (searched recursively)"),
    "format": (
        "dạng báo cáo (mặc định: theo đuôi tệp của -o, không có đuôi thì json; không có -o thì text)",
        "report format (default: from the extension of -o, json without one; text without -o)",
    ),
    "lang": ("ngôn ngữ của báo cáo và thông báo (mặc định: vi)", "language of reports and messages (default: vi)"),
    "rules": ("bộ tiêu chí trừ điểm (TOML, docs/rules.md)", "deduction rule set (TOML, docs/rules.md)"),
    "baseline": (
        "bỏ qua các phát hiện đã được chấp nhận trong tệp này",
        "leave out the findings this baseline accepts",
    ),
    "write-baseline": ("ghi mọi phát hiện hiện có vào tệp này như đã chấp nhận", "write every finding as accepted"),
    "register": (
        "sổ đăng ký văn bản đi xuất từ hệ thống quản lý văn bản (xlsx hoặc csv): đối chiếu với các tệp PDF, "
        "tỷ lệ ký số tính trên sổ (docs/register.md)",
        "the outgoing register exported by the e-office system (xlsx or csv): matched with the PDFs, the signed "
        "share counted over it (docs/register.md)",
    ),
    "register-column": (
        "tên cột của sổ đăng ký khi khác mẫu Nghị định 30, ví dụ 'number=Số VB' (dùng nhiều lần được)",
        "a register column whose header differs from Decree 30's, e.g. 'number=Số VB' (repeatable)",
    ),
    "register-office": (
        "cơ quan của sổ đăng ký, khi sổ không có cột cơ quan ban hành",
        "the office the register belongs to, when it has no column for it",
    ),
    "register-tolerance": (
        "số ngày một số văn bản được phép ghi ngày sớm hơn số nhỏ hơn nó (mặc định: %(default)s)",
        "days a number may be dated before a lower number (default: %(default)s)",
    ),
    "output": ("ghi báo cáo vào tệp (trọn vẹn hoặc không ghi gì)", "write the report to FILE (whole or not at all)"),
    "trust": (
        "CA gốc và trung gian tin cậy: tệp PEM/DER, thư mục hoặc tên bộ (mặc định: vn — các CA của Chính phủ và "
        "quốc gia Việt Nam; 'none': không kiểm tra chuỗi, khi đó không văn bản nào ĐẠT); dùng nhiều lần được",
        "trust roots and intermediates: a PEM/DER file, a folder or a bundle name (default: vn, the Vietnamese "
        "government and national PKIs; 'none': chains are not checked, and then no document passes); repeatable",
    ),
    "tz": ("múi giờ để so sánh ngày (mặc định: %(default)s)", "time zone for comparing dates (default: %(default)s)"),
    "jobs": ("số tiến trình xử lý (mặc định: mọi nhân CPU)", "worker processes (default: all cores)"),
    "fail-on": (
        "trả mã 1 khi có phát hiện từ mức này trở lên (mặc định: %(default)s)",
        "exit 1 when a finding at or above this severity exists (default: %(default)s)",
    ),
    "timestamp-tolerance": (
        "độ lệch lớn nhất cho phép giữa thời gian ký khai báo và dấu thời gian (giây)",
        "largest accepted gap between claimed signing time and timestamp (seconds)",
    ),
    "signer-kind": (
        "khai báo chứng thư là của cá nhân hay cơ quan theo CN hoặc UID, ví dụ 'MST:4600123456=organization'",
        "override the person/organisation inference for a certificate CN or UID, e.g. 'USB Token 0042=person'",
    ),
    "max-seconds": ("thời gian tối đa cho một văn bản (0: không giới hạn)", "time limit per document (0: none)"),
    "max-file-mb": ("không đọc tệp lớn hơn (MB)", "larger files are not read (MB)"),
    "max-memory-mb": ("giới hạn bộ nhớ mỗi tiến trình (MB, 0: không)", "memory limit of each worker (MB, 0: none)"),
    "ocr": (
        "đọc phần đầu bản quét bằng Tesseract: auto (khi đã cài), on (bắt buộc), off",
        "read the header of scanned pages with Tesseract: auto (when installed), on (required), off",
    ),
    "diff-policy": (
        "cách xét thay đổi sau khi ký: own (danh sách thay đổi vô hại và so sánh theo hiển thị), "
        "pyhanko (phân tích khác biệt của pyHanko, chậm hơn)",
        "how changes after signing are judged: own (the list of harmless changes and the comparison "
        "by what a reader sees), pyhanko (pyHanko's difference analysis, slower)",
    ),
    "strict-sha1": ("từ chối CA ký bằng SHA-1 thay vì cảnh báo", "reject SHA-1-signed CA certificates"),
    "online": ("cho phép tải thông tin thu hồi qua mạng", "allow fetching revocation data over the network"),
    "cache": ("thư mục bộ nhớ đệm (mặc định: %s)", "content cache folder (default: %s)"),
    "no-cache": ("không dùng bộ nhớ đệm", "neither read nor write the content cache"),
    "dask": ("chạy trên cụm Dask: địa chỉ scheduler hoặc local[:N]", "run on a Dask cluster: an address or local[:N]"),
    "log-file": ("ghi nhật ký kỹ thuật vào tệp này", "write library logs and tracebacks to FILE"),
    "verbose": ("nhật ký chi tiết hơn (-vv: gỡ lỗi)", "more detail in the log file (-vv: debug)"),
    "quiet": ("không hiện tiến độ", "no progress display"),
    "profile": (
        "hồ sơ TOML cho báo cáo Word (--format docx): cơ quan, số, địa danh, người ký, nơi nhận",
        "TOML profile of the Word report (--format docx): office, number, place, signer, recipients",
    ),
    "dossier": (
        "Kiểm tra hồ sơ tài liệu kiểm chứng: mỗi thư mục con là một tiêu chí (1.1, 1.2 …) hoặc danh mục dossier.csv.",
        "Check an evidence dossier: one subfolder per criterion (1.1, 1.2 …) or a dossier.csv manifest.",
    ),
    "year": ("năm được chấm điểm chỉ số CCHC", "the year the index scores"),
    "serve": (
        "Mở trang kiểm tra cho văn thư: kéo thả tệp PDF hoặc zip, xem ĐẠT / KHÔNG ĐẠT, tải báo cáo.",
        "Start the clerks' page: drop PDF or zip files, see ĐẠT / KHÔNG ĐẠT, download the report.",
    ),
    "host": (
        "địa chỉ lắng nghe (mặc định chỉ máy này; địa chỉ khác cần mã truy cập in ra khi khởi động)",
        "address to listen on (this machine only by default; any other needs the access token printed at start)",
    ),
    "port": ("cổng", "port"),
    "open": ("mở trang trong trình duyệt", "open the page in the browser"),
    "office": ("cơ quan nộp hồ sơ (so với cơ quan ban hành văn bản)", "the office whose dossier it is"),
    "check": (
        "Kiểm tra văn bản trước khi nộp làm tài liệu kiểm chứng: ĐẠT / KHÔNG ĐẠT / CHƯA KẾT LUẬN và lý do.",
        "Check documents before submitting them as evidence: ĐẠT / KHÔNG ĐẠT / CHƯA KẾT LUẬN and why.",
    ),
}

# argparse's own words, in Vietnamese.
_ARGPARSE_VI = (
    ("usage: ", "cách dùng: "),
    ("positional arguments:", "tham số:"),
    ("options:", "tùy chọn:"),
    ("show this help message and exit", "hiện trợ giúp này rồi thoát"),
    ("show program's version number and exit", "hiện phiên bản rồi thoát"),
    ("the following arguments are required: ", "thiếu tham số bắt buộc: "),
    ("unrecognized arguments: ", "tham số không nhận ra: "),
    ("invalid choice: ", "lựa chọn không hợp lệ: "),
    ("choose from ", "chọn một trong "),
    ("expected one argument", "cần một giá trị"),
    ("invalid int value: ", "không phải số nguyên: "),
    ("invalid float value: ", "không phải số: "),
    ("argument ", "tham số "),
)


class Parser(argparse.ArgumentParser):
    """argparse in the user's language."""

    def __init__(self, *args: Any, lang: str = "vi", **kwargs: Any) -> None:
        self.lang = lang
        super().__init__(*args, **kwargs)

    def _vi(self, text: str) -> str:
        if self.lang == "vi":
            for en, vi in _ARGPARSE_VI:
                text = text.replace(en, vi)
        return text

    def format_help(self) -> str:
        return self._vi(super().format_help())

    def format_usage(self) -> str:
        return self._vi(super().format_usage())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {'lỗi' if self.lang == 'vi' else 'error'}: {self._vi(message)}\n")


def _h(key: str, lang: str) -> str:
    vi, en = HELP[key]
    return vi if lang == "vi" else en


def trust_argument(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--trust", action="append", default=[], metavar="PEM_OR_DIR", help=_h("trust", lang))


def document_arguments(p: argparse.ArgumentParser, lang: str) -> None:
    """What every command that reads documents takes: trust, time zone, OCR, the signer-kind
    overrides and the per-document limits (each one a finding's fix may suggest), log file."""
    trust_argument(p, lang)
    p.add_argument("--tz", default="Asia/Ho_Chi_Minh", help=_h("tz", lang))
    p.add_argument("--ocr", choices=("auto", "on", "off"), default="auto", help=_h("ocr", lang))
    p.add_argument(
        "--signer-kind", action="append", default=[], metavar="NAME_OR_ID=KIND", help=_h("signer-kind", lang)
    )
    p.add_argument("--max-seconds", type=float, default=120.0, metavar="S", help=_h("max-seconds", lang))
    p.add_argument("--max-file-mb", type=float, default=100.0, metavar="MB", help=_h("max-file-mb", lang))
    p.add_argument("--max-memory-mb", type=int, default=2048, metavar="MB", help=_h("max-memory-mb", lang))
    p.add_argument("--log-file", metavar="FILE", help=_h("log-file", lang))


def trust_sources(values: list[str]) -> tuple[str, ...]:
    """--trust values → Settings.trust: the bundled Vietnamese roots unless told otherwise."""
    if not values:
        return ("vn",)
    if any(v.strip().lower() == "none" for v in values):
        return ()
    return tuple(values)


def build_parser(lang: str = "vi") -> argparse.ArgumentParser:
    h = lambda key: _h(key, lang)  # noqa: E731
    p = Parser(prog="sigaudit", description=h("description"), lang=lang)
    p.add_argument("paths", nargs="+", metavar="PATH", help=h("paths"))
    formats = "; ".join(
        f"{f.name}: {(f.help_vi or f.help) if lang == 'vi' else f.help}"
        for f in FORMATS.values()
        if f.name != "verdict"
    )
    p.add_argument("--format", choices=tuple(FORMATS), default=None, help=f"{h('format')} — {formats}")
    p.add_argument("--lang", choices=("vi", "en"), default=None, help=h("lang"))
    p.add_argument("--rules", metavar="FILE", help=h("rules"))
    p.add_argument("--baseline", metavar="FILE", help=h("baseline"))
    p.add_argument("--write-baseline", metavar="FILE", help=h("write-baseline"))
    p.add_argument("--register", metavar="FILE", help=h("register"))
    p.add_argument("--register-column", action="append", default=[], metavar="FIELD=HEADER", help=h("register-column"))
    p.add_argument("--register-office", metavar="NAME", help=h("register-office"))
    p.add_argument("--register-tolerance", type=int, default=2, metavar="DAYS", help=h("register-tolerance"))
    p.add_argument("-o", "--output", metavar="FILE", help=h("output"))
    p.add_argument("--profile", metavar="FILE.toml", help=h("profile"))
    trust_argument(p, lang)
    p.add_argument("--tz", default="Asia/Ho_Chi_Minh", help=h("tz"))
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help=h("jobs"))
    p.add_argument("--fail-on", choices=("error", "warning", "never"), default="error", help=h("fail-on"))
    p.add_argument("--timestamp-tolerance", type=float, default=900.0, metavar="SECONDS", help=h("timestamp-tolerance"))
    p.add_argument("--signer-kind", action="append", default=[], metavar="NAME_OR_ID=KIND", help=h("signer-kind"))
    p.add_argument("--max-seconds", type=float, default=120.0, metavar="S", help=h("max-seconds"))
    p.add_argument("--max-file-mb", type=float, default=100.0, metavar="MB", help=h("max-file-mb"))
    p.add_argument("--max-memory-mb", type=int, default=2048, metavar="MB", help=h("max-memory-mb"))
    p.add_argument("--ocr", choices=("auto", "on", "off"), default="auto", help=h("ocr"))
    p.add_argument("--diff-policy", choices=("own", "pyhanko"), default="own", help=h("diff-policy"))
    p.add_argument("--strict-sha1", action="store_true", help=h("strict-sha1"))
    p.add_argument("--online", action="store_true", help=h("online"))
    p.add_argument("--cache", metavar="DIR", default=None, help=h("cache") % default_cache_dir())
    p.add_argument("--no-cache", action="store_true", help=h("no-cache"))
    p.add_argument("--dask", metavar="ADDRESS", default=None, help=h("dask"))
    p.add_argument("--log-file", metavar="FILE", help=h("log-file"))
    p.add_argument("-v", "--verbose", action="count", default=0, help=h("verbose"))
    p.add_argument("-q", "--quiet", action="store_true", help=h("quiet"))
    p.add_argument("--version", action="version", version=f"sigaudit {__version__}")
    return p


def check_parser(lang: str = "vi") -> argparse.ArgumentParser:
    p = Parser(prog="sigaudit check", description=_h("check", lang), lang=lang)
    p.add_argument("paths", nargs="+", metavar="FILE.pdf|FOLDER", help=_h("paths", lang))
    p.add_argument("--lang", choices=("vi", "en"), default=lang, help=_h("lang", lang))
    document_arguments(p, lang)
    return p


def dossier_parser(lang: str = "vi") -> argparse.ArgumentParser:
    h = lambda key: _h(key, lang)  # noqa: E731
    p = Parser(prog="sigaudit dossier", description=h("dossier"), lang=lang)
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument("--year", type=int, help=h("year"))
    p.add_argument("--office", help=h("office"))
    p.add_argument("--rules", metavar="FILE", help=h("rules"))
    p.add_argument("--format", choices=tuple(FORMATS), default=None, help=h("format"))
    p.add_argument("-o", "--output", metavar="FILE", help=h("output"))
    p.add_argument("--lang", choices=("vi", "en"), default=lang, help=h("lang"))
    document_arguments(p, lang)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help=h("jobs"))
    p.add_argument("--no-cache", action="store_true", help=h("no-cache"))
    return p


def serve_parser(lang: str = "vi") -> argparse.ArgumentParser:
    h = lambda key: _h(key, lang)  # noqa: E731
    p = Parser(prog="sigaudit serve", description=h("serve"), lang=lang)
    p.add_argument("--host", default="127.0.0.1", help=h("host"))
    p.add_argument("--port", type=int, default=8765, help=h("port"))
    p.add_argument("--open", action="store_true", help=h("open"))
    p.add_argument("--lang", choices=("vi", "en"), default=lang, help=h("lang"))
    document_arguments(p, lang)
    p.add_argument("--rules", metavar="FILE", help=h("rules"))
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help=h("jobs"))
    p.add_argument("--no-cache", action="store_true", help=h("no-cache"))
    return p
